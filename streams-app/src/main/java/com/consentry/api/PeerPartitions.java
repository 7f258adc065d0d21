package com.consentry.api;

import com.consentry.ops.Health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Asks other instances which partitions of the customers store they can answer for from their own copies
 * ({@code GET /health/partitions}), for the readiness check. An answer is kept for {@link #FRESH_NANOS}, so
 * that a readiness probe costs at most one short request per peer a second. A peer that cannot be reached
 * can answer for nothing; one that has no such endpoint (the release before) is taken at its word that a
 * copy it holds answers.
 */
public final class PeerPartitions implements Health.Peers {
    public static final String PATH = "/health/partitions";
    static final long FRESH_NANOS = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Forwarder forwarder;
    private final LongSupplier nanos;
    private final Map<HostInfo, Asked> asked = new ConcurrentHashMap<>();

    /** A peer's answer: {@code partitions} null when it cannot say (every copy it holds), empty when not reached. */
    private record Asked(Set<Integer> partitions, long at) {
    }

    PeerPartitions(Forwarder forwarder, LongSupplier nanos) {
        this.forwarder = forwarder;
        this.nanos = nanos;
    }

    @Override
    public boolean canAnswer(HostInfo peer, int partition) {
        long now = nanos.getAsLong();
        Asked a = asked.get(peer);
        if (a == null || now - a.at() > FRESH_NANOS) {
            a = ask(peer, now);
            asked.put(peer, a);
        }
        return a.partitions() == null || a.partitions().contains(partition);
    }

    private Asked ask(HostInfo peer, long now) {
        Optional<Forwarder.Relayed> r = forwarder.forward(peer, PATH, null, false);
        if (r.isEmpty() || (r.get().status() != 200 && r.get().status() != 404)) {
            return new Asked(Set.of(), now);
        }
        if (r.get().status() == 404) {
            return new Asked(null, now);
        }
        try {
            return new Asked(answerable(r.get().body()), now);
        } catch (IOException e) {
            return new Asked(Set.of(), now);
        }
    }

    /** The partitions listed in a {@code GET /health/partitions} answer. */
    public static Set<Integer> answerable(String body) throws IOException {
        Set<Integer> partitions = new TreeSet<>();
        for (JsonNode p : JSON.readTree(body).path("answerable")) {
            partitions.add(p.asInt());
        }
        return partitions;
    }
}
