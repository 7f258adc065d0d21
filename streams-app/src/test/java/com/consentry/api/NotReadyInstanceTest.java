package com.consentry.api;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.ops.LagMonitor;
import com.consentry.ops.ServiceMetrics;
import com.consentry.service.ConsentryService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.InvalidStateStorePartitionException;
import org.apache.kafka.streams.errors.StateStoreMigratedException;
import org.apache.kafka.streams.errors.StateStoreNotAvailableException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.errors.StreamsRebalancingException;
import org.apache.kafka.streams.errors.StreamsStoppedException;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: an instance whose streams were created but not started yet (it is still checking the topics)
 * answered queries, direct or forwarded by a peer, with 500 {@code {"error":"internal error:
 * StreamsNotStartedException"}}, and the peer passed the 500 on; a peer falls back to a standby only on
 * 503. Not ready is 503 with {@code Retry-After}, whatever the streams state.
 */
class NotReadyInstanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path stateDir;

    /** Every query an instance serves: direct, and as a peer forwards it (to the owner, and to a standby). */
    private static final List<Map.Entry<String, Map<String, String>>> QUERIES = List.of(
            Map.entry("/v1/eligibility/c1", Map.of()),
            Map.entry("/v1/eligibility/c1/MR%20PORTER/EMAIL", Map.of()),
            Map.entry("/v1/eligibility/c1", Map.of(Forwarder.FORWARDED_HEADER, "127.0.0.1:1")),
            Map.entry("/v1/eligibility/c1/MR%20PORTER/EMAIL", Map.of(Forwarder.FORWARDED_HEADER, "127.0.0.1:1")),
            Map.entry("/v1/eligibility/c1/MR%20PORTER/EMAIL", Map.of(Forwarder.FORWARDED_HEADER, "127.0.0.1:1",
                    Forwarder.SERVE_HEADER, "standby")),
            Map.entry("/v1/eligibility/c1/MR%20PORTER/EMAIL/history", Map.of()),
            Map.entry("/v1/eligibility/c1/MR%20PORTER/EMAIL/history", Map.of(Forwarder.FORWARDED_HEADER, "127.0.0.1:1")),
            Map.entry("/v1/customers/c1/export", Map.of()),
            Map.entry("/v1/customers/c1/export", Map.of(Forwarder.FORWARDED_HEADER, "127.0.0.1:1",
                    Forwarder.SERVE_HEADER, "standby")));

    /** A cluster that is not there: the instance stays in its start-up checks until the admin call times out. */
    private AppConfig config(int httpPort) throws IOException {
        String nowhere = "127.0.0.1:" + freePort();
        return AppConfig.of(Map.of(
                "bootstrap.servers", nowhere,
                "consentry.schema.registry.url", "http://" + nowhere,
                "consentry.application.id", "not-ready-test",
                "consentry.state.dir", stateDir.toString(),
                "consentry.http.port", Integer.toString(httpPort),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"));
    }

    @Test
    void anInstanceStillStartingAnswers503DirectlyAndWhenForwardedNever500() throws Exception {
        int port = freePort();
        AppConfig config = config(port);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread starting = new Thread(() -> {
            try (ServiceRunner ignored = ServiceRunner.start(config)) {
                failure.set(new AssertionError("started without a cluster"));
            } catch (InterruptedException e) {
                // the test is done with it
            }
        }, "starting-instance");
        starting.start();
        try {
            awaitStreamsState(port, "CREATED");
            for (Map.Entry<String, Map<String, String>> q : QUERIES) {
                assertNotReady(get(port, q.getKey(), q.getValue()), q,
                        "not ready: the service is starting (streams state CREATED)");
            }
        } finally {
            starting.interrupt();
            starting.join(Duration.ofSeconds(30).toMillis());
        }
        assertThat(starting.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
    }

    @Test
    void anInstanceThatHasStoppedAnswers503() throws Exception {
        try (ServiceMetrics metrics = new ServiceMetrics();
             HttpApi http = HttpApi.start(HttpSettings.from(config(0)), metrics, Clock.systemUTC())) {
            AppConfig config = config(http.port());
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("bootstrap.servers"));
            try (ConsentryService service = new ConsentryService(config);
                 LagMonitor lag = new LagMonitor(Admin.create(admin), "not-ready-test", false, config.topics().inputs(),
                         Duration.ofSeconds(1), Clock.systemUTC())) {
                http.attach(service.streams(), new EligibilityQuery(service.settings().policy()), lag);
                service.close();
                assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
                for (Map.Entry<String, Map<String, String>> q : QUERIES) {
                    assertNotReady(get(http.port(), q.getKey(), q.getValue()), q,
                            "not ready: the service is stopping (streams state NOT_RUNNING)");
                }
            }
        }
    }

    @Test
    void kafkaStreamsNotNowIs503AndAStoreThatDoesNotExistIsABug() {
        Map<InvalidStateStoreException, String> notNow = Map.of(
                new StreamsNotStartedException("x"), "not ready: the service is starting (StreamsNotStartedException)",
                new StreamsRebalancingException("x"), "not ready: the streams are rebalancing (StreamsRebalancingException)",
                new StateStoreMigratedException("x"),
                "not ready: the store moved to another instance in a rebalance (StateStoreMigratedException)",
                new StateStoreNotAvailableException("x"),
                "not ready: the service is stopping (StateStoreNotAvailableException)",
                new StreamsStoppedException("x"), "not ready: the service is stopping (StreamsStoppedException)");
        notNow.forEach((e, message) -> assertThat(ApiException.notReady(e)).as(e.getClass().getSimpleName())
                .hasValueSatisfying(a -> {
                    assertThat(a.status()).isEqualTo(503);
                    assertThat(a.getMessage()).isEqualTo(message);
                }));
        assertThat(ApiException.notReady(new UnknownStateStoreException("x"))).isEmpty();
        assertThat(ApiException.notReady(new InvalidStateStorePartitionException("x"))).isEmpty();
    }

    private static void assertNotReady(HttpResponse<String> r, Map.Entry<String, Map<String, String>> query,
                                       String message) throws IOException {
        assertThat(r.statusCode()).as("%s %s: %s", query.getKey(), query.getValue(), r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).as("Retry-After").contains("1");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo(message);
    }

    /** Waits until the HTTP API answers for streams in {@code state} (it answers before the streams exist). */
    private void awaitStreamsState(int port, String state) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                JsonNode ready = JSON.readTree(get(port, "/health/ready", Map.of()).body());
                last = ready.toString();
                if (state.equals(ready.path("state").asText())) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("streams never reached " + state + ": " + last);
    }

    private HttpResponse<String> get(int port, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
