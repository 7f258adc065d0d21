package com.consentry.bench;

import com.consentry.simulate.LineParser;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EventMixTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventMix.Settings SETTINGS =
            new EventMix.Settings(2_000, Duration.ofDays(14), 7, Instant.parse("2026-03-01T00:00:00Z"));

    private static List<String> lines(EventMix.Settings s) {
        List<String> out = new ArrayList<>();
        long n = EventMix.generate(s, out::add);
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    @Test
    void theSameSettingsGiveTheSameLinesAndAnotherSeedOthers() {
        List<String> a = lines(SETTINGS);
        assertThat(lines(SETTINGS)).isEqualTo(a);
        assertThat(lines(new EventMix.Settings(2_000, Duration.ofDays(14), 8, SETTINGS.start()))).isNotEqualTo(a);
    }

    @Test
    void everyLineIsAnEventSimulateAcceptsAndEveryPhoneNumberCanBeNormalised() throws Exception {
        LineParser parser = new LineParser(Topics.defaults());
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        Set<String> invalid = new HashSet<>();
        int n = 0;
        for (String line : lines(SETTINGS)) {
            parser.parse(line, ++n);
            JsonNode e = JSON.readTree(line);
            assertThat(e.path("type").asText()).isIn("customer", "consent", "unsubscribe", "order", "cart", "send");
            String phone = e.path("phone").isTextual() ? e.path("phone").asText()
                    : e.path("address").asText("").startsWith("+") ? e.path("address").asText() : null;
            if (phone != null && !valid(phones, phone, e.path("country").asText("GB"))) {
                invalid.add(phone + " (" + e.path("country").asText("?") + ")");
            }
        }
        assertThat(invalid).as("phone numbers of the wrong length").isEmpty();
    }

    /**
     * As the service reads it ({@code Addresses}): a possible number for its country. The ranges kept for
     * drama (+44 7700 900xxx style) are not allocated, so libphonenumber does not call them valid.
     */
    private static boolean valid(PhoneNumberUtil phones, String number, String country) {
        try {
            return phones.isPossibleNumber(phones.parse(number, country));
        } catch (NumberParseException e) {
            return false;
        }
    }

    @Test
    void eachCustomerStartsWithAProfileAndLinesAreInEventTimeOrderButForAFewLateOnes() throws Exception {
        List<String> lines = lines(SETTINGS);
        Set<String> profiled = new HashSet<>();
        Map<String, Integer> perCustomer = new HashMap<>();
        String latest = "";
        int late = 0;
        for (String line : lines) {
            JsonNode e = JSON.readTree(line);
            String customer = e.path("customerId").asText(null);
            if (customer != null) {
                if (e.path("type").asText().equals("customer")) {
                    profiled.add(customer);
                }
                assertThat(profiled).as("a profile before %s", line).contains(customer);
                perCustomer.merge(customer, 1, Integer::sum);
            }
            String at = e.path("at").asText();
            if (at.compareTo(latest) < 0) {
                late++;
            } else {
                latest = at;
            }
        }
        assertThat(perCustomer).hasSize(2_000);
        assertThat(lines.size() / 2_000.0).as("events per customer").isBetween(8.5, 11.0);
        assertThat(perCustomer.values().stream().mapToInt(Integer::intValue).max().orElse(0))
                .as("the busiest customer's events (activity is skewed)").isGreaterThan(100);
        assertThat(late).as("late lines").isPositive().isLessThan(lines.size() * 4 / 100);
    }

    @Test
    void theMixHasEveryKindOfEventThePolicyCaresAbout() {
        String all = String.join("\n", lines(SETTINGS));
        for (String kind : List.of("\"eventType\":\"ERASURE_REQUESTED\"", "\"status\":\"CONFIRMED\"",
                "\"status\":\"WITHDRAWN\"", "\"expiresAt\"", "\"action\":\"ITEM_REMOVED\"", "\"action\":\"CHECKED_OUT\"",
                "\"action\":\"CLEARED\"", "\"status\":\"CANCELLED\"", "\"purpose\":\"SERVICE\"", "\"channel\":\"SMS\"",
                "\"source\":\"SMS_STOP\"", "{\"type\":\"unsubscribe\",\"at\"", "\"address\":\"+", "\"country\":\"DE\"",
                "\"timezone\"")) {
            assertThat(all).as(kind).contains(kind);
        }
    }
}
