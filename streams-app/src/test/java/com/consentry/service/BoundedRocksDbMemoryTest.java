package com.consentry.service;

import com.consentry.config.AppConfig;
import com.consentry.serde.InMemorySchemaRegistry;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.ConsentryTopology;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedRocksDbMemoryTest {
    @TempDir
    Path stateDir;

    /**
     * Every RocksDB store of the service reports, through RocksDB's own properties, the one shared block
     * cache of the configured size: the stores' memory together is capped by one setting.
     */
    @Test
    void everyStoreSharesOneBlockCacheOfTheConfiguredSize() {
        AppConfig config = AppConfig.load(null, Map.of()).with("consentry.state.dir", stateDir.toString());
        Properties props = ConsentryService.streamsConfig(config);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "INFO");
        long cap = config.getBytes("consentry.rocksdb.memory");
        AvroSerdes avro = AvroSerdes.using(new InMemorySchemaRegistry());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                ConsentryTopology.build(config.topics(), config.topologySettings(Instant.EPOCH), avro), props)) {
            Map<MetricName, ? extends Metric> metrics = driver.metrics();
            Set<Object> capacities = metrics.entrySet().stream()
                    .filter(e -> e.getKey().name().equals("block-cache-capacity"))
                    .map(e -> e.getValue().metricValue())
                    .collect(Collectors.toSet());
            long stores = metrics.keySet().stream().filter(n -> n.name().equals("block-cache-capacity")).count();
            assertThat(stores).as("RocksDB stores reporting a block cache").isGreaterThanOrEqualTo(8);
            assertThat(capacities).containsExactly(java.math.BigInteger.valueOf(cap));
            assertThat(BoundedRocksDbMemory.capBytes()).isEqualTo(cap);
        }
    }

    @Test
    void aSizeThatDoesNotParseIsRefusedWithTheKeyNamed() {
        AppConfig config = AppConfig.load(null, Map.of()).with("consentry.rocksdb.memory", "lots");
        assertThatThrownBy(() -> ConsentryService.streamsConfig(config))
                .hasMessageContaining("consentry.rocksdb.memory=lots");
        AppConfig ratio = AppConfig.load(null, Map.of()).with("consentry.rocksdb.write-buffer.ratio", "2");
        assertThatThrownBy(() -> ConsentryService.streamsConfig(ratio))
                .hasMessageContaining("consentry.rocksdb.write-buffer.ratio=2");
        assertThat(AppConfig.load(null, Map.of()).with("k", "1GiB").getBytes("k")).isEqualTo(1L << 30);
        assertThat(AppConfig.load(null, Map.of()).with("k", "512 MiB").getBytes("k")).isEqualTo(512L << 20);
    }
}
