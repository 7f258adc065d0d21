package com.consentry.topology;

import com.consentry.avro.CustomerEvent;
import com.consentry.avro.CustomerEventType;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a dead letter keeps of its key, value and message: everything but email addresses and phone numbers. */
class DeadLetterRedactionTest {
    private static final DeadLetterRedaction UNDECODED = DeadLetterRedaction.of(null);

    private static String key(DeadLetterRedaction r, String key) {
        return new String(r.key(key.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void aKeyKeepsACustomerIdOfDigitsButNotAnEmailOrAnInternationalNumber() {
        assertThat(key(UNDECODED, "1234567890")).isEqualTo("1234567890");
        assertThat(key(UNDECODED, "cust-2026-03-01-0001")).isEqualTo("cust-2026-03-01-0001");
        assertThat(key(UNDECODED, "Someone@Example.com")).isEqualTo("###################");
        assertThat(key(UNDECODED, "+44 7700 900123")).isEqualTo("###############");
    }

    @Test
    void aDecodedValueHasItsAddressFieldsMaskedWhereverTheyOccurAndAUndecodedOneEverythingThatLooksLikeOne() {
        CustomerEvent e = CustomerEvent.newBuilder().setEventId("e1").setCustomerId("07700 900123")
                .setEventTime(Instant.EPOCH).setType(CustomerEventType.UPSERT).setPhone("07700 900123")
                .setEmail("ab").build();
        DeadLetterRedaction r = DeadLetterRedaction.of(e);
        assertThat(key(r, "07700 900123")).as("the phone, also as the key").isEqualTo("############");
        assertThat(r.message("customerId 'x' or '07700 900123'")).isEqualTo("customerId 'x' or '############'");
        assertThat(new String(r.value("{\"email\":\"ab\"}".getBytes(StandardCharsets.UTF_8), true), StandardCharsets.UTF_8))
                .as("too short to be an address: not masked (it would hit the encoding's own bytes)")
                .isEqualTo("{\"email\":\"ab\"}");
        assertThat(new String(UNDECODED.value("x 0207 946 0000 a@b.co 2026-03-01".getBytes(StandardCharsets.UTF_8),
                false), StandardCharsets.UTF_8)).isEqualTo("x ############# ###### ##########");
        assertThat(UNDECODED.message("unknown schema id 2147483632 at 2026-03-01T10:00:00Z"))
                .as("a message loses only what looks like an email").isEqualTo(
                        "unknown schema id 2147483632 at 2026-03-01T10:00:00Z");
    }
}
