package com.consentry.topology;

import com.consentry.api.CustomerExport;
import com.consentry.avro.Channel;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.SendDecision;
import com.consentry.avro.UnsubscribeSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static com.consentry.api.ExportEntries.assertEntry;
import static com.consentry.api.ExportEntries.only;
import static com.consentry.topology.TopologyHarness.MRP;
import static com.consentry.topology.TopologyHarness.NAP;
import static com.consentry.topology.TopologyHarness.added;
import static com.consentry.topology.TopologyHarness.consent;
import static com.consentry.topology.TopologyHarness.consentBuilder;
import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.erasure;
import static com.consentry.topology.TopologyHarness.order;
import static com.consentry.topology.TopologyHarness.send;
import static com.consentry.topology.TopologyHarness.unsubscribeBuilder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subject access export read from the real topology's stores: every kind of fact a customer has,
 * field by field as it was piped in, with the addresses only as keyed hashes; and after an erasure,
 * nothing but the erasure marker and the suppression entries the erasure made.
 */
class SubjectAccessExportTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String EMAIL = "Jane.Doe@Example.com";
    private static final String PHONE = "+49 1511 2345678";

    @TempDir
    Path stateDir;
    private TopologyHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    /** Every kind of fact for c1, and a reminder decided for cart k1 and one pending for k2. */
    private void customerWithEveryKindOfFact() {
        h = TopologyHarness.start(stateDir, T0);
        h.pipe(customer("prof-1", "c1", T0).setCountry("DE").setBirthDate(LocalDate.of(1990, 4, 2))
                .setTimezone("Europe/Berlin").setEmail(EMAIL).setPhone(PHONE).build());
        h.pipe(consentBuilder("con-1", "c1", min(1), MRP, Channel.EMAIL, ConsentStatus.GRANTED, "CHECKOUT")
                .setExpiresAt(T0.plus(Duration.ofDays(400))).build());
        h.pipe(consent("con-2", "c1", min(2), MRP, Channel.EMAIL, ConsentStatus.CONFIRMED, "DOI_LINK"));
        h.pipe(unsubscribeBuilder("uns-1", "c1", min(3), MRP, UnsubscribeSource.SMS_STOP).setChannel(Channel.SMS).build());
        h.pipe(order("ord-1", "c1", min(4), "o-1", NAP, OrderStatus.PLACED, "k-old"));
        h.pipe(added("cart-1", "c1", min(5), "k1", NAP, "sku-1", 2));
        h.pipe(send("snd-1", "c1", min(6), "r-1", "autumn", MRP, Channel.EMAIL, Purpose.MARKETING));
        h.advanceTo(min(5 + 61));
        h.pipe(added("cart-2", "c1", min(120), "k2", MRP, "sku-2", 1));
    }

    @Test
    void anExportHoldsEveryFactAsProducedWithTheAddressesOnlyAsKeyedHashes() {
        customerWithEveryKindOfFact();
        String emailHash = h.hashOf("jane.doe@example.com");
        String phoneHash = h.hashOf("+4915112345678");
        List<SendDecision> decisions = h.decisions().stream().map(TestRecord::value).toList();
        List<TestRecord<String, CustomerEligibility>> views = h.eligibility();

        JsonNode x = export("c1", min(121));

        assertThat(x.path("type").asText()).isEqualTo("subject-access-export");
        assertThat(x.path("customerId").asText()).isEqualTo("c1");
        assertThat(x.path("exportedAt").asText()).isEqualTo(min(121).toString());
        assertThat(x.path("known").asBoolean()).isTrue();
        assertThat(x.path("erasure").isNull()).isTrue();

        JsonNode p = only(x.path("profileUpdates"));
        assertEntry(p, "prof-1", null, T0);
        assertThat(p.path("country").asText()).isEqualTo("DE");
        assertThat(p.path("birthDate").asText()).isEqualTo("1990-04-02");
        assertThat(p.path("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(p.path("email").asText()).isEqualTo(CustomerExport.HELD_AS_HASH);
        assertThat(p.path("emailHash").asText()).isEqualTo(emailHash);
        assertThat(p.path("phone").asText()).isEqualTo(CustomerExport.HELD_AS_HASH);
        assertThat(p.path("phoneHash").asText()).isEqualTo(phoneHash);

        JsonNode consents = x.path("consents");
        assertThat(consents).hasSize(2);
        assertEntry(consents.get(0), "con-1", "CHECKOUT", min(1));
        assertThat(consents.get(0).path("brand").asText()).isEqualTo(MRP);
        assertThat(consents.get(0).path("channel").asText()).isEqualTo("EMAIL");
        assertThat(consents.get(0).path("status").asText()).isEqualTo("GRANTED");
        assertThat(consents.get(0).path("expiresAt").asText()).isEqualTo(T0.plus(Duration.ofDays(400)).toString());
        assertEntry(consents.get(1), "con-2", "DOI_LINK", min(2));
        assertThat(consents.get(1).path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(consents.get(1).path("expiresAt").isNull()).isTrue();

        JsonNode u = only(x.path("unsubscribes"));
        assertEntry(u, "uns-1", "SMS_STOP", min(3));
        assertThat(u.path("brand").asText()).isEqualTo(MRP);
        assertThat(u.path("channel").asText()).isEqualTo("SMS");

        JsonNode o = only(x.path("orders"));
        assertEntry(o, "ord-1", null, min(4));
        assertThat(o.path("orderId").asText()).isEqualTo("o-1");
        assertThat(o.path("brand").asText()).isEqualTo(NAP);
        assertThat(o.path("status").asText()).isEqualTo("PLACED");
        assertThat(o.path("cartId").asText()).isEqualTo("k-old");

        JsonNode carts = x.path("carts");
        assertThat(carts).hasSize(2);
        assertThat(carts.get(0).path("cartId").asText()).isEqualTo("k1");
        assertThat(carts.get(0).path("brand").asText()).isEqualTo(NAP);
        assertThat(carts.get(0).path("open").asBoolean()).isTrue();
        assertThat(carts.get(0).path("items").path("sku-1").asInt()).isEqualTo(2);
        JsonNode line = only(carts.get(0).path("events"));
        assertEntry(line, "cart-1", null, min(5));
        assertThat(line.path("action").asText()).isEqualTo("ITEM_ADDED");
        assertThat(line.path("sku").asText()).isEqualTo("sku-1");
        assertThat(line.path("quantity").asInt()).isEqualTo(2);
        assertThat(carts.get(1).path("cartId").asText()).isEqualTo("k2");
        assertThat(x.path("cartFacts")).extracting(f -> f.path("eventId").asText()).containsExactly("cart-1", "cart-2");

        SendDecision reminded = decisions.stream().filter(d -> "k1".equals(d.getCartId())).findFirst().orElseThrow();
        JsonNode reminders = x.path("reminders");
        assertThat(reminders).hasSize(2);
        assertEntry(reminders.get(0), reminded.getRequestId(), null, min(65));
        assertThat(reminders.get(0).path("cartId").asText()).isEqualTo("k1");
        assertThat(reminders.get(0).path("status").asText()).isEqualTo("DECIDED");
        assertThat(reminders.get(1).path("cartId").asText()).isEqualTo("k2");
        assertThat(reminders.get(1).path("status").asText()).isEqualTo("PENDING");
        assertThat(reminders.get(1).path("eventTime").asText()).isEqualTo(min(180).toString());

        SendDecision campaign = decisions.stream().filter(d -> "r-1".equals(d.getRequestId())).findFirst().orElseThrow();
        JsonNode sent = only(x.path("sendDecisions"));
        assertEntry(sent, null, null, min(6));
        assertThat(sent.path("requestId").asText()).isEqualTo("r-1");
        assertThat(sent.path("campaignId").asText()).isEqualTo("autumn");
        assertThat(sent.path("brand").asText()).isEqualTo(MRP);
        assertThat(sent.path("channel").asText()).isEqualTo("EMAIL");
        assertThat(sent.path("purpose").asText()).isEqualTo("MARKETING");
        assertThat(sent.path("decision").asText()).isEqualTo(campaign.getDecision().name()).isEqualTo("APPROVED");
        assertThat(sent.path("reason").asText()).isEqualTo(campaign.getReason().name());
        assertThat(sent.path("evidence").path("eventId").asText()).isEqualTo("con-1");
        assertThat(sent.path("evidence").path("confirmationEventId").asText()).isEqualTo("con-2");
        assertThat(x.path("frequencyCapMessages")).extracting(m -> m.path("requestId").asText())
                .containsExactly("r-1", reminded.getRequestId());

        assertThat(x.path("linkedAddressHashes")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(emailHash, phoneHash);
        JsonNode s = only(x.path("suppressions"));
        assertEntry(s, "uns-1", "SMS_STOP", min(3));
        assertThat(s.path("addressHash").asText()).isEqualTo(phoneHash);
        assertThat(s.path("channels")).extracting(JsonNode::asText).containsExactly("SMS", "PHONE");

        CustomerEligibility published = views.get(views.size() - 1).value();
        JsonNode view = x.path("view");
        // evaluated at the last event; published when an answer last changed
        assertThat(view.path("viewAt").asText()).isEqualTo(min(120).toString());
        assertThat(view.path("rows")).hasSize(published.getRows().size());
        for (var row : published.getRows()) {
            assertThat(view.path("rows")).anySatisfy(r -> {
                assertThat(r.path("brand").asText()).isEqualTo(row.getBrand());
                assertThat(r.path("channel").asText()).isEqualTo(row.getChannel().name());
                assertThat(r.path("eligible").asBoolean()).isEqualTo(row.getEligible());
                assertThat(r.path("reason").asText()).isEqualTo(row.getReason().name());
            });
        }
        assertThat(x.toString()).doesNotContainIgnoringCase("jane.doe").doesNotContain("15112345678")
                .doesNotContain("1511 2345678");
    }

    @Test
    void theExportOfAnErasedCustomerHoldsTheErasureMarkerAndOnlyTheSuppressionHashesItMade() {
        customerWithEveryKindOfFact();
        String emailHash = h.hashOf("jane.doe@example.com");
        String phoneHash = h.hashOf("+4915112345678");
        h.pipe(erasure("era-1", "c1", min(150)));

        JsonNode x = export("c1", min(151));

        assertEntry(x.path("erasure"), "era-1", null, min(150));
        for (String section : List.of("profileUpdates", "consents", "unsubscribes", "orders", "cartFacts", "carts",
                "reminders", "sendDecisions", "frequencyCapMessages", "linkedAddressHashes")) {
            assertThat(x.path(section)).as(section).isEmpty();
        }
        assertThat(x.path("view").path("rows")).isEmpty();
        assertThat(x.path("suppressions")).hasSize(2).allSatisfy(s -> assertEntry(s, "era-1", "ERASURE", min(150)));
        assertThat(x.path("suppressions")).extracting(s -> s.path("addressHash").asText() + " "
                + s.path("channels")).containsExactlyInAnyOrder(emailHash + " [\"EMAIL\"]",
                phoneHash + " [\"SMS\",\"PHONE\"]");
        // nothing of the addresses but those hashes, once each
        String text = x.toString();
        assertThat(text).doesNotContainIgnoringCase("jane.doe").doesNotContain("15112345678");
        assertThat(text.split(emailHash, -1)).hasSize(2);
        assertThat(text.split(phoneHash, -1)).hasSize(2);
    }

    @Test
    void anUnknownCustomerHasAnEmptyExport() {
        h = TopologyHarness.start(stateDir, T0);

        JsonNode x = export("nobody", T0);

        assertThat(x.path("known").asBoolean()).isFalse();
        assertThat(x.path("erasure").isNull()).isTrue();
        assertThat(x.path("consents")).isEmpty();
        assertThat(x.path("view").path("rows")).isEmpty();
    }

    private JsonNode export(String customerId, Instant at) {
        CustomerHoldings.Stores stores = new CustomerHoldings.Stores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return h.store(name);
            }
        };
        ObjectNode n = CustomerExport.json(customerId, CustomerHoldings.read(customerId, stores),
                new GlobalSuppressionList(h.store(StoreNames.SUPPRESSIONS)), at);
        return n;
    }

    private static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }
}
