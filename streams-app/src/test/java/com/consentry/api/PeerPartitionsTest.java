package com.consentry.api;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What a readiness check learns from a peer's {@code GET /health/partitions}, over real HTTP. */
class PeerPartitionsTest {
    private HttpServer peer;
    private final AtomicReference<String> answer = new AtomicReference<>("{\"answerable\":[0,2]}");
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private PeerPartitions partitions;

    @BeforeEach
    void start() throws IOException {
        peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext(PeerPartitions.PATH, exchange -> {
            asked.incrementAndGet();
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        peer.start();
        HostInfo self = new HostInfo("127.0.0.1", 1);
        partitions = new PeerPartitions(new Forwarder(self, "http", null, Duration.ofMillis(500), Duration.ofSeconds(1)),
                now::get);
    }

    @AfterEach
    void stop() {
        peer.stop(0);
    }

    private HostInfo peer() {
        return new HostInfo("127.0.0.1", peer.getAddress().getPort());
    }

    @Test
    void aPeerAnswersForThePartitionsItSaysAndIsAskedAtMostOnceASecond() {
        assertThat(partitions.canAnswer(peer(), 0)).isTrue();
        assertThat(partitions.canAnswer(peer(), 1)).isFalse();
        assertThat(partitions.canAnswer(peer(), 2)).isTrue();
        assertThat(asked).hasValue(1);

        answer.set("{\"answerable\":[1]}");
        now.addAndGet(Duration.ofMillis(900).toNanos());
        assertThat(partitions.canAnswer(peer(), 1)).as("the answer of 900 ms ago still holds").isFalse();
        now.addAndGet(Duration.ofMillis(200).toNanos());
        assertThat(partitions.canAnswer(peer(), 1)).isTrue();
        assertThat(partitions.canAnswer(peer(), 0)).isFalse();
        assertThat(asked).hasValue(2);
    }

    @Test
    void aPeerNotReadyOrUnreachableAnswersForNothingAndOneOfTheReleaseBeforeIsTakenAtItsWord() throws IOException {
        status.set(503);
        assertThat(partitions.canAnswer(peer(), 0)).isFalse();

        status.set(404);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(partitions.canAnswer(peer(), 0)).as("no /health/partitions: the release before").isTrue();

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(partitions.canAnswer(new HostInfo("127.0.0.1", closed), 0)).isFalse();
    }
}
