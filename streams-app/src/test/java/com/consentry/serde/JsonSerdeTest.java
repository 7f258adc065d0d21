package com.consentry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    record StoreValue(String subjectId, Instant decidedAt, Map<String, Integer> counts, List<String> reasons) {}

    private static final Instant AT = Instant.parse("2025-03-01T12:34:56.789Z");

    @Test
    void roundTripWithIsoTimestampsAndAlphabeticalProperties() {
        JsonSerde<StoreValue> serde = new JsonSerde<>(StoreValue.class);
        StoreValue value = new StoreValue("subject-1", AT, Map.of("sms", 2), List.of("opt-out"));

        byte[] bytes = serde.serializer().serialize("store-changelog", value);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
                "{\"counts\":{\"sms\":2},\"decidedAt\":\"2025-03-01T12:34:56.789Z\","
                        + "\"reasons\":[\"opt-out\"],\"subjectId\":\"subject-1\"}");
        assertThat(serde.deserializer().deserialize("store-changelog", bytes)).isEqualTo(value);
    }

    @Test
    void equalValuesGiveIdenticalBytesWhateverTheMapOrder() {
        JsonSerde<StoreValue> serde = new JsonSerde<>(StoreValue.class);
        Map<String, Integer> ab = new LinkedHashMap<>();
        ab.put("email", 1);
        ab.put("sms", 2);
        Map<String, Integer> ba = new LinkedHashMap<>();
        ba.put("sms", 2);
        ba.put("email", 1);

        byte[] first = serde.serialize("t", new StoreValue("s", AT, ab, List.of()));
        byte[] second = serde.serialize("t", new StoreValue("s", AT, ba, List.of()));

        assertThat(first).isEqualTo(second);
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("{\"email\":1,\"sms\":2}");
    }

    @Test
    void typeReferenceHandlesGenericTypes() {
        JsonSerde<Map<String, List<StoreValue>>> serde = new JsonSerde<>(new TypeReference<>() {});
        Map<String, List<StoreValue>> value =
                Map.of("k", List.of(new StoreValue("s", AT, Map.of(), List.of("a", "b"))));

        Map<String, List<StoreValue>> back = serde.deserialize("t", serde.serialize("t", value));

        assertThat(back).isEqualTo(value);
        assertThat(back.get("k").get(0)).isInstanceOf(StoreValue.class);
    }

    @Test
    void unknownPropertiesFromAnOlderVersionAreIgnored() {
        JsonSerde<StoreValue> serde = new JsonSerde<>(StoreValue.class);
        byte[] stored = ("{\"counts\":{},\"decidedAt\":\"2025-03-01T12:34:56.789Z\",\"legacyFlag\":true,"
                + "\"reasons\":[],\"subjectId\":\"s\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(serde.deserialize("t", stored)).isEqualTo(new StoreValue("s", AT, Map.of(), List.of()));
    }

    @Test
    void nullIsNullBothWays() {
        JsonSerde<StoreValue> serde = new JsonSerde<>(StoreValue.class);

        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void unreadableBytesNameTopicAndType() {
        JsonSerde<StoreValue> serde = new JsonSerde<>(StoreValue.class);

        assertThatThrownBy(() -> serde.deserialize("eligibility-store-changelog", new byte[] {0, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("eligibility-store-changelog")
                .hasMessageContaining("StoreValue");
    }
}
