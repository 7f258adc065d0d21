package com.consentry.bench;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;

/**
 * The bare Kafka Streams apps Consentry is measured beside, over the same six input topics, bytes in and
 * bytes out (no deserialisation): what the broker, the clients and exactly-once cost without any logic.
 */
final class BaselineTopologies {
    static final String LATEST_STORE = "bench-latest";

    private BaselineTopologies() {
    }

    /** Every record of the inputs, unchanged, to {@code output}. */
    static Topology identity(List<String> inputs, String output) {
        StreamsBuilder b = new StreamsBuilder();
        source(b, inputs).to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-identity-sink"));
        return b.build();
    }

    /**
     * The latest record of each key (customerId), kept in a RocksDB store ({@code groupByKey().reduce()}
     * keeping the newer value, so the state stays one value per key), each update to {@code output}.
     */
    static Topology reduce(List<String> inputs, String output) {
        StreamsBuilder b = new StreamsBuilder();
        source(b, inputs)
                .groupByKey(Grouped.with("bench-reduce-group", Serdes.ByteArray(), Serdes.ByteArray()))
                .reduce((older, newer) -> newer, Named.as("bench-reduce-latest"),
                        Materialized.<byte[], byte[], KeyValueStore<Bytes, byte[]>>as(LATEST_STORE)
                                .withKeySerde(Serdes.ByteArray()).withValueSerde(Serdes.ByteArray()))
                .toStream(Named.as("bench-reduce-updates"))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-reduce-sink"));
        return b.build();
    }

    private static KStream<byte[], byte[]> source(StreamsBuilder b, List<String> inputs) {
        return b.stream(inputs, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-source"));
    }
}
