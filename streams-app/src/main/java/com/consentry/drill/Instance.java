package com.consentry.drill;

import com.consentry.bench.AppProcess;
import com.consentry.api.PeerPartitions;
import com.consentry.config.AppConfig;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * One service instance of the drill: a child JVM ({@link AppProcess}) with its own HTTP port and state
 * directory, both kept across kills, so that a restart is the same instance coming back.
 */
final class Instance implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final String label;
    private final AppConfig config;
    private final Path work;
    private final Path logs;
    private final String heap;
    private final String base;
    private AppProcess process;

    /** An HTTP answer: its status (-1 when the instance could not be reached) and body. */
    record Reply(int status, String body) {
        boolean reached() {
            return status >= 0;
        }
    }

    Instance(String label, AppConfig config, Path work, Path logs, String heap) {
        this.label = label;
        this.config = config;
        this.work = work;
        this.logs = logs;
        this.heap = heap;
        this.base = "http://127.0.0.1:" + config.get("consentry.http.port");
    }

    String label() {
        return label;
    }

    Path log() {
        return logs.resolve(label + ".log");
    }

    void start() throws IOException {
        process = AppProcess.start(AppProcess.CONSENTRY, label, config, work, logs, heap);
    }

    /** SIGKILL: no commit, no flush, no leaving the group. */
    void kill() throws InterruptedException {
        process.kill();
    }

    boolean alive() {
        return process != null && process.alive();
    }

    /** Fails, naming the log, when the instance exited by itself. */
    void requireAlive() {
        process.requireAlive();
    }

    boolean ready() {
        return get("/health/ready", Duration.ofSeconds(2)).status() == 200;
    }

    /** Ready, and its streams RUNNING (not in the middle of a rebalance or a restore). */
    boolean running() {
        Reply r = get("/health/ready", Duration.ofSeconds(2));
        return r.status() == 200 && r.body().contains("\"state\":\"RUNNING\"");
    }

    /**
     * The partitions this instance says it can answer for from its own copies ({@code GET /health/partitions});
     * empty when it cannot be reached or its answer cannot be read.
     */
    Set<Integer> answerable() {
        Reply r = get(PeerPartitions.PATH, Duration.ofSeconds(2));
        if (r.status() != 200) {
            return Set.of();
        }
        try {
            return PeerPartitions.answerable(r.body());
        } catch (IOException e) {
            return Set.of();
        }
    }

    Reply view(String customerId) {
        return get("/v1/eligibility/" + encode(customerId), Duration.ofSeconds(5));
    }

    Reply answer(String customerId, String brand, String channel, Duration timeout) {
        return get("/v1/eligibility/" + encode(customerId) + "/" + encode(brand) + "/" + channel, timeout);
    }

    private Reply get(String path, Duration timeout) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Reply(-1, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Stops the instance cleanly (commit, leave). */
    void stop() throws IOException, InterruptedException {
        if (alive()) {
            process.stop();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
