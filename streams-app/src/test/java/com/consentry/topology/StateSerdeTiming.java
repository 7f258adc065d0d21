package com.consentry.topology;

import com.consentry.serde.JsonSerde;

import org.apache.kafka.common.serialization.Serde;

import java.util.Arrays;

/**
 * A rough timing (not a test, not a benchmark harness): write and read back a typical customer
 * ({@link StateSamples#typicalCustomer}) with the Avro state serde and with the JSON serde of the
 * previous release, one after the other on one thread. Run from the test classpath:
 * {@code java -cp <test classpath> com.consentry.topology.StateSerdeTiming [rounds] [iterations]}.
 */
public final class StateSerdeTiming {
    private StateSerdeTiming() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        CustomerState value = StateSamples.typicalCustomer();
        Serde<CustomerState> avro = StateSerdes.customers();
        Serde<CustomerState> json = new JsonSerde<>(CustomerState.class);
        System.out.printf("bytes: avro %d, json %d%n", avro.serializer().serialize("t", value).length,
                json.serializer().serialize("t", value).length);
        long[] avroNs = new long[rounds];
        long[] jsonNs = new long[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            // interleaved, so that both see the same machine (the cores are shared)
            avroNs[r] = time(avro, value, iterations);
            jsonNs[r] = time(json, value, iterations);
            ratio[r] = (double) jsonNs[r] / avroNs[r];
        }
        Arrays.sort(avroNs);
        Arrays.sort(jsonNs);
        Arrays.sort(ratio);
        System.out.printf("encode+decode, median of %d rounds of %,d: avro %,d ns, json %,d ns; json/avro %.1f"
                + " (rounds: %.1f to %.1f)%n", rounds, iterations, avroNs[rounds / 2], jsonNs[rounds / 2],
                ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
    }

    private static long time(Serde<CustomerState> serde, CustomerState value, int iterations) {
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            byte[] bytes = serde.serializer().serialize("t", value);
            CustomerState back = serde.deserializer().deserialize("t", bytes);
            sink += bytes.length + back.history.consents.size();
        }
        long perOp = (System.nanoTime() - start) / iterations;
        if (sink == 42) {
            System.out.println();
        }
        return perOp;
    }
}
