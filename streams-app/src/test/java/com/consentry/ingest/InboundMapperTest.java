package com.consentry.ingest;

import com.consentry.avro.CartAction;
import com.consentry.avro.CartEvent;
import com.consentry.avro.Channel;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEvent;
import com.consentry.avro.CustomerEventType;
import com.consentry.avro.OrderEvent;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeEvent;
import com.consentry.avro.UnsubscribeSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The event times an input record may carry ({@link EventTimeRules}), on every input type: from 1970 to
 * {@code consentry.ingest.max-event-time}, and at most {@code consentry.ingest.max-future} ahead of the
 * record's own timestamp; decided from the record alone, so that every replay decides the same.
 */
class InboundMapperTest {
    private static final EventTimeRules RULES = EventTimeRules.DEFAULTS;
    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    private static final Duration MS = Duration.ofMillis(1);

    /** One valid record of each input type, at the given event time. */
    static List<Function<Instant, Object>> everyInputType() {
        return List.of(
                at -> CustomerEvent.newBuilder().setEventId("p1").setCustomerId("c1").setEventTime(at)
                        .setType(CustomerEventType.UPSERT).setCountry("GB").build(),
                at -> consent(at).build(),
                at -> UnsubscribeEvent.newBuilder().setEventId("u1").setCustomerId("c1").setEventTime(at).setBrand("*")
                        .setSource(UnsubscribeSource.LINK).build(),
                at -> UnsubscribeEvent.newBuilder().setEventId("u2").setCustomerId(null).setEventTime(at).setBrand("*")
                        .setAddress("someone@example.com").build(),
                at -> OrderEvent.newBuilder().setEventId("o1").setCustomerId("c1").setEventTime(at).setOrderId("order-1")
                        .setBrand("MR PORTER").setStatus(OrderStatus.PLACED).build(),
                at -> CartEvent.newBuilder().setEventId("k1").setCustomerId("c1").setEventTime(at).setCartId("cart-1")
                        .setBrand("MR PORTER").setAction(CartAction.ITEM_ADDED).setSku("sku-1").setQuantity(1).build(),
                at -> SendRequest.newBuilder().setEventId("s1").setCustomerId("c1").setEventTime(at).setRequestId("r1")
                        .setBrand("MR PORTER").setChannel(Channel.EMAIL).setPurpose(Purpose.MARKETING).build());
    }

    private static ConsentEvent.Builder consent(Instant at) {
        return ConsentEvent.newBuilder().setEventId("e1").setCustomerId("c1").setEventTime(at).setBrand("MR PORTER")
                .setChannel(Channel.EMAIL).setStatus(ConsentStatus.GRANTED).setSource("CHECKOUT");
    }

    private static Inbound map(Object avro, Instant recordTime) {
        return InboundMapper.map(avro, recordTime, RULES);
    }

    @ParameterizedTest
    @MethodSource("everyInputType")
    void anEventTimeFrom1970ToTheBoundIsAccepted(Function<Instant, Object> record) {
        assertThat(map(record.apply(NOW), NOW).at()).isEqualTo(NOW);
        assertThat(map(record.apply(Instant.EPOCH), NOW).at()).as("1970 exactly, late by 56 years").isEqualTo(Instant.EPOCH);
        assertThat(map(record.apply(LATEST), LATEST).at()).as("the bound exactly").isEqualTo(LATEST);
        assertThat(map(record.apply(NOW.plus(Duration.ofMinutes(15))), NOW).at()).as("15 minutes ahead of its record")
                .isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    @ParameterizedTest
    @MethodSource("everyInputType")
    void anEventTimeKafkaCannotCarryIsRefusedWithTheReason(Function<Instant, Object> record) {
        assertThatThrownBy(() -> map(record.apply(Instant.EPOCH.minus(MS)), NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("at: 1969-12-31T23:59:59.999Z is before 1970-01-01T00:00:00Z (Kafka cannot carry it as a timestamp)");
        assertThatThrownBy(() -> map(record.apply(Instant.parse("3000-01-01T00:00:00Z")), NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("at: 3000-01-01T00:00:00Z is after 2100-01-01T00:00:00Z (consentry.ingest.max-event-time)");
        assertThatThrownBy(() -> map(record.apply(LATEST.plus(MS)), LATEST.plus(MS)))
                .as("the bound holds when the record's timestamp is as far out").isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("at: 2100-01-01T00:00:00.001Z is after 2100-01-01T00:00:00Z");
        assertThatThrownBy(() -> map(record.apply(NOW.plus(Duration.ofMinutes(15)).plus(MS)), NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("at: 2026-05-01T12:15:00.001Z is more than PT15M after the record's timestamp "
                        + "2026-05-01T12:00:00Z (consentry.ingest.max-future)");
        assertThatThrownBy(() -> map(record.apply(NOW), Instant.parse("3000-01-01T00:00:00Z")))
                .as("a good event time in a record the service could not stamp its outputs with")
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("timestamp: the record's timestamp 3000-01-01T00:00:00Z is after 2100-01-01T00:00:00Z "
                        + "(consentry.ingest.max-event-time)");
    }

    @Test
    void theBoundsAreSettings() {
        EventTimeRules strict = new EventTimeRules(Duration.ZERO, Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(InboundMapper.map(consent(NOW).build(), NOW, strict).at()).isEqualTo(NOW);
        assertThatThrownBy(() -> InboundMapper.map(consent(NOW.plus(MS)).build(), NOW, strict))
                .hasMessageContaining("is more than PT0S after the record's timestamp");
        assertThatThrownBy(() -> InboundMapper.map(consent(Instant.parse("2031-01-01T00:00:00Z")).build(),
                Instant.parse("2031-01-01T00:00:00Z"), strict))
                .hasMessageContaining("is after 2030-01-01T00:00:00Z");
        assertThatThrownBy(() -> new EventTimeRules(Duration.ofMinutes(-1), LATEST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consentry.ingest.max-future");
        assertThatThrownBy(() -> new EventTimeRules(Duration.ZERO, Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consentry.ingest.max-event-time");
    }

    @Test
    void anExpiryOrABirthDateNeedsOnlyAYearFrom1To9999() {
        Instant lastExpiry = Instant.parse("9999-12-31T23:59:59.999Z");
        assertThat(((Inbound.Consent) map(consent(NOW).setExpiresAt(lastExpiry).build(), NOW)).expiresAt())
                .isEqualTo(lastExpiry);
        assertThat(((Inbound.Consent) map(consent(NOW).setExpiresAt(Instant.parse("0001-01-01T00:00:00Z")).build(), NOW))
                .expiresAt()).as("long expired").isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        assertThatThrownBy(() -> map(consent(NOW).setExpiresAt(lastExpiry.plus(MS)).build(), NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("expiresAt: +10000-01-01T00:00:00Z is outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z");
        assertThatThrownBy(() -> map(consent(NOW).setExpiresAt(Instant.ofEpochMilli(Long.MIN_VALUE)).build(), NOW))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("expiresAt: -292275055");

        Function<LocalDate, Object> born = d -> CustomerEvent.newBuilder().setEventId("p1").setCustomerId("c1")
                .setEventTime(NOW).setType(CustomerEventType.UPSERT).setBirthDate(d).build();
        assertThat(((Inbound.Customer) map(born.apply(LocalDate.of(9999, 12, 31)), NOW)).birthDate())
                .isEqualTo(LocalDate.of(9999, 12, 31));
        assertThat(((Inbound.Customer) map(born.apply(LocalDate.of(1, 1, 1)), NOW)).birthDate())
                .isEqualTo(LocalDate.of(1, 1, 1));
        assertThatThrownBy(() -> map(born.apply(LocalDate.of(10000, 1, 1)), NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("birthDate: +10000-01-01 is outside 0001-01-01 to 9999-12-31");
        assertThatThrownBy(() -> map(born.apply(LocalDate.of(0, 12, 31)), NOW))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("birthDate: 0000-12-31 is outside");
    }

    @Test
    void theOtherFieldErrorsAreReportedFirst() {
        assertThatThrownBy(() -> map(consent(Instant.parse("3000-01-01T00:00:00Z")).setSource(null).build(), NOW))
                .hasMessage("source: missing");
    }

    /**
     * Found by TopologyFuzzProperties: the stores' keys join brand and channel (and customerId and cartId) with
     * U+0000, so a brand "A\u0000B" was read back as brand "A", channel "B", and the processor threw on every
     * retry of the record: its partition stopped for good.
     */
    @Test
    void anIdentifierOrBrandWithANulCharacterIsRefused() {
        assertThatThrownBy(() -> map(consent(NOW).setBrand("MR\u0000PORTER").build(), NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("brand: contains the character U+0000 (NUL), which identifiers may not");
        assertThatThrownBy(() -> map(consent(NOW).setCustomerId("c1\u0000c2").build(), NOW))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("customerId: contains the character U+0000");
        assertThat(map(consent(NOW).setBrand("MR PORTER \u00e9\u2603").build(), NOW).key()).as("other characters are fine")
                .isEqualTo("c1");
    }
}
