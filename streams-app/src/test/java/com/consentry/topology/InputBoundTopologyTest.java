package com.consentry.topology;

import com.consentry.avro.Channel;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static com.consentry.topology.TopologyHarness.MRP;
import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay's shadow processes the input history up to the end offsets recorded when it started: a
 * record at or after its partition's recorded end decides nothing, so a history that grows during the
 * replay does not change what the replay writes.
 */
class InputBoundTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void recordsAtOrAfterTheRecordedEndOffsetsAreNotProcessed() {
        Topics topics = Topics.defaults();
        // customer-events: one record was there when the replay started; consent-events: two
        InputBound bound = new InputBound(Map.of(new TopicPartition(topics.customerEvents(), 0), 1L,
                new TopicPartition(topics.consentEvents(), 0), 2L));
        try (TopologyHarness h = TopologyHarness.start(stateDir, T0, bound)) {
            h.pipe(customer("e1", "c1", T0).setCountry("GB").build());
            h.pipe(grant("e2", "c1", T0.plusSeconds(60), MRP, Channel.EMAIL));
            h.pipe(grant("e3", "c2", T0.plusSeconds(120), MRP, Channel.EMAIL));
            assertThat(h.eligibility()).extracting(r -> r.key()).containsExactly("c1", "c2");

            // arrived after the replay started: offset 1 of customer-events, 2 of consent-events
            h.pipe(customer("e4", "c3", T0.plusSeconds(180)).setCountry("GB").build());
            h.pipe(grant("e5", "c3", T0.plusSeconds(240), MRP, Channel.EMAIL));
            h.pipe(grant("e6", "c1", T0.plusSeconds(300), MRP, Channel.SMS));
            assertThat(h.eligibility()).isEmpty();
            assertThat(h.deadLetters()).isEmpty();
            assertThat(h.customerState("c3")).isNull();
        }
    }

    @Test
    void withoutABoundEveryRecordIsProcessed() {
        assertThat(InputBound.NONE.admits("customer-events", 0, Long.MAX_VALUE - 1)).isTrue();
        InputBound bound = new InputBound(Map.of(new TopicPartition("customer-events", 0), 5L));
        assertThat(bound.admits("customer-events", 0, 4)).isTrue();
        assertThat(bound.admits("customer-events", 0, 5)).isFalse();
        // a partition added after the replay started had no records then
        assertThat(bound.admits("customer-events", 1, 0)).isFalse();
    }
}
