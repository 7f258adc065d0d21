package com.consentry.topology;

import com.consentry.ingest.EventTimeRules;
import com.consentry.ingest.InboundMapper;
import com.consentry.ingest.InvalidEventException;
import com.consentry.runtime.Directories;
import com.consentry.simulate.FuzzInputs;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "The stream never dies on data", past the decoder: random histories of schema-valid records with random
 * field values (few customers, so that their facts meet; odd countries, timezones, addresses, quantities,
 * expiries, birth dates) go through the whole topology, each keyed by its customerId, with the wall clock
 * moving on. No record may make a processor throw (in the service that replaces the stream thread and
 * retries the same record forever), and every record written to any topic has a timestamp Kafka carries.
 */
class TopologyFuzzProperties {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    @Property(tries = 25)
    void noHistoryOfSchemaValidRecordsMakesTheTopologyThrow(@ForAll("histories") List<SpecificRecord> history)
            throws IOException {
        Path dir = Files.createTempDirectory("consentry-fuzz-");
        try (TopologyHarness h = TopologyHarness.start(dir, T0, Map.of("consentry.punctuate.max-lead", "PT5M"))) {
            for (SpecificRecord r : history) {
                Instant at = TopologyHarness.eventTime(r);
                // stamped as a producer would: at the event time when it is one Kafka carries, else now
                Instant stamp = at.isBefore(Instant.EPOCH) || at.isAfter(LATEST) ? h.now() : at;
                String key = TopologyHarness.keyOf(r);
                h.pipeRaw(h.topicOf(r), key == null ? null : key.getBytes(StandardCharsets.UTF_8), h.serialize(r), stamp);
                h.advanceBy(Duration.ofMinutes(7));
            }
            h.advanceBy(Duration.ofDays(2));
            h.allProduced().forEach((topic, records) -> assertThat(records).as(topic)
                    .extracting(TestRecord::timestamp).allSatisfy(t -> assertThat(t).isBetween(0L, LATEST.toEpochMilli())));
        } finally {
            Directories.deleteTree(dir);
        }
    }

    @Provide
    Arbitrary<List<SpecificRecord>> histories() {
        Arbitrary<String> ids = Arbitraries.oneOf(Arbitraries.of("c1", "c2", "c3"), FuzzInputs.texts()
                .filter(s -> !s.isBlank()));
        Arbitrary<Instant> times = Arbitraries.oneOf(
                Arbitraries.longs().between(0, Duration.ofDays(3).toMillis()).map(T0::plusMillis),
                FuzzInputs.instants());
        Arbitrary<SpecificRecord> any = FuzzInputs.inputRecords(ids, times);
        // mostly records the decoder accepts, so that they reach the processors, and some it refuses
        Arbitrary<SpecificRecord> accepted = any.filter(TopologyFuzzProperties::decodes);
        return Arbitraries.frequencyOf(Tuple.of(4, accepted), Tuple.of(1, any)).list().ofMinSize(1).ofMaxSize(25);
    }

    private static boolean decodes(SpecificRecord r) {
        try {
            Instant at = TopologyHarness.eventTime(r);
            InboundMapper.map(r, at, EventTimeRules.DEFAULTS);
            return true;
        } catch (InvalidEventException e) {
            return false;
        }
    }
}
