package com.consentry.bench;

import com.consentry.config.AppConfig;
import com.consentry.runtime.EmbeddedSchemaRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchApp} in a child JVM: started with its settings in a properties file and its log in a
 * file of its own, and asked for its memory, its restoration and to stop, over its standard input and
 * output.
 */
public final class AppProcess implements AutoCloseable {
    static final String IDENTITY = "identity";
    static final String REDUCE = "reduce";
    public static final String CONSENTRY = "consentry";
    /** {@code replay start} over the same topics, as a shadow of the measured Consentry app. */
    static final String REPLAY = "replay";

    /** Heap in use after a full collection, resident and peak resident memory, in bytes (-1: unknown). */
    record Memory(long heap, long rss, long peakRss) {
    }

    /** What the app restored from its changelogs so far. */
    record Restore(int active, long records, long firstStartMillis, long lastEndMillis, boolean running) {
    }

    private final String label;
    private final Process process;
    private final Path log;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final long startedNanos = System.nanoTime();

    private AppProcess(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readReplies, "bench-" + label + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts app {@code kind} with {@code config}, its settings written to {@code workDir} and its log
     * (standard error) to {@code logDir}/{@code label}.log, with a heap of at most {@code heap}.
     */
    /** Extra JVM options for every app of the run (the environment variable's name). */
    static final String JVM_OPTS_ENV = "BENCH_JVM_OPTS";

    public static AppProcess start(String kind, String label, AppConfig config, Path workDir, Path logDir, String heap)
            throws IOException {
        Properties p = new Properties();
        p.putAll(config.all());
        Path settings = workDir.resolve(label + ".properties");
        try (Writer w = Files.newBufferedWriter(settings, StandardCharsets.UTF_8)) {
            p.store(w, "bench pipeline: " + label);
        }
        Path log = logDir.resolve(label + ".log");
        List<String> command = new java.util.ArrayList<>(List.of(EmbeddedSchemaRegistry.javaExecutable(), "-Xmx" + heap));
        // e.g. BENCH_JVM_OPTS='-XX:StartFlightRecording=filename=/tmp/bench-%p.jfr,settings=profile' to profile each app
        String extra = System.getenv().getOrDefault(JVM_OPTS_ENV, "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchApp.class.getName(), kind,
                settings.toString()));
        // appended: an app restarted under the same label (the crash drill) keeps the log of its earlier runs
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new AppProcess(label, process, log);
    }

    private void readReplies() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("state ")) {
                    replies.add(line);
                }
            }
        } catch (IOException e) {
            // the process is gone; the next request says so
        }
    }

    String label() {
        return label;
    }

    public Path log() {
        return log;
    }

    /** Seconds since the JVM was started. */
    double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Fails, naming the log, when the app has exited. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + label + " app exited with status " + process.exitValue()
                    + "; its log is " + log);
        }
    }

    Memory memory() throws IOException, InterruptedException {
        Map<String, String> f = fields(request("report", "memory ", Duration.ofSeconds(60)));
        return new Memory(Long.parseLong(f.get("heap")), Long.parseLong(f.get("rss")), Long.parseLong(f.get("peak-rss")));
    }

    Restore restore() throws IOException, InterruptedException {
        Map<String, String> f = fields(request("restore", "restore ", Duration.ofSeconds(30)));
        return new Restore(Integer.parseInt(f.get("active")), Long.parseLong(f.get("records")),
                Long.parseLong(f.get("first-start")), Long.parseLong(f.get("last-end")), Boolean.parseBoolean(f.get("running")));
    }

    /** Asks the app to close its streams (committing) and waits for it to exit. */
    public void stop() throws IOException, InterruptedException {
        request("stop", "stopped", Duration.ofSeconds(90));
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private String request(String command, String replyPrefix, Duration timeout) throws IOException, InterruptedException {
        requireAlive();
        stdin.write(command + "\n");
        stdin.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String reply = replies.poll(200, TimeUnit.MILLISECONDS);
            if (reply != null && reply.startsWith(replyPrefix)) {
                return reply;
            }
            if (reply == null) {
                requireAlive();
            }
        }
        throw new IllegalStateException("the " + label + " app did not answer '" + command + "' within " + timeout
                + "; its log is " + log);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> out = new HashMap<>();
        for (String token : line.split(" ")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                out.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return out;
    }

    /** True while the app's JVM runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /** Kills the app's JVM at once (SIGKILL on Linux: no shutdown hook, no commit, no leave) and waits for it to go. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Kills the app if it still runs (after a failure elsewhere). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
