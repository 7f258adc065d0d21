package com.consentry.bench;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.replay.ReplayStart;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One app of {@code bench pipeline} in a JVM of its own, so that its heap and resident memory are its
 * own: {@code java -cp ... com.consentry.bench.BenchApp identity|reduce|consentry|replay CONFIG.properties}
 * ({@code replay}: {@code replay start --id} {@value #REPLAY_ID} with CONFIG as the live configuration).
 * Started and driven by {@link AppProcess}, one line at a time: it prints {@code state S} on each state
 * change of its streams; on {@code report} it collects garbage and prints {@code memory heap=B rss=B
 * peak-rss=B}; on {@code restore} it prints what it restored from changelogs ({@link RestoreCounter});
 * on {@code stop} or the end of its input it closes the app, prints {@code stopped} and exits.
 */
public final class BenchApp {
    /** Config key of the baselines' output topic. */
    static final String OUTPUT_TOPIC = "consentry.bench.output";
    /** The id of the replay {@code bench pipeline} measures. */
    static final String REPLAY_ID = "bench";

    private BenchApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !List.of(AppProcess.IDENTITY, AppProcess.REDUCE, AppProcess.CONSENTRY, AppProcess.REPLAY)
                .contains(args[0])) {
            System.err.println("usage: BenchApp identity|reduce|consentry|replay CONFIG.properties");
            System.exit(2);
        }
        AppConfig config = AppConfig.of(AppConfig.readFile(Path.of(args[1])));
        RestoreCounter restore = new RestoreCounter();
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
        KafkaStreams.StateListener listener = (now, before) -> {
            state.set(now);
            System.out.println("state " + now);
        };
        AutoCloseable app = start(args[0], config, restore, listener);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null && !command.equals("stop")) {
            switch (command) {
                case "report" -> System.out.println(memory());
                case "restore" -> System.out.println(restore.line() + " running=" + (state.get() == KafkaStreams.State.RUNNING));
                default -> System.out.println("error unknown command '" + command + "'");
            }
        }
        app.close();
        System.out.println("stopped");
        System.out.flush();
        System.exit(0);
    }

    private static AutoCloseable start(String kind, AppConfig config, RestoreCounter restore,
                                       KafkaStreams.StateListener listener) throws InterruptedException {
        if (kind.equals(AppProcess.CONSENTRY)) {
            ServiceRunner runner = ServiceRunner.start(config, restore);
            KafkaStreams streams = runner.service().streams();
            runner.service().addStateListener(listener);
            listener.onChange(streams.state(), null);
            return runner;
        }
        if (kind.equals(AppProcess.REPLAY)) {
            return replay(config);
        }
        List<String> inputs = config.topics().inputs();
        String output = config.get(OUTPUT_TOPIC);
        Topology topology = kind.equals(AppProcess.IDENTITY)
                ? BaselineTopologies.identity(inputs, output) : BaselineTopologies.reduce(inputs, output);
        Properties p = config.kafkaProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get("consentry.application.id"));
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.get("consentry.state.dir"));
        KafkaStreams streams = new KafkaStreams(topology, p);
        streams.setGlobalStateRestoreListener(restore);
        streams.setStateListener(listener);
        streams.start();
        return streams::close;
    }

    /**
     * Runs {@code replay start} in the background, as the command does, with {@code live} as the live
     * configuration; the app exits with status 1 if the replay fails. Closing it stops the shadow.
     */
    private static AutoCloseable replay(AppConfig live) {
        ReplayStart replay = new ReplayStart(live, REPLAY_ID, System.err, false, Clock.systemUTC());
        Thread thread = new Thread(() -> {
            try {
                replay.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                e.printStackTrace();
                System.exit(1);
            }
        }, "bench-replay");
        thread.start();
        return () -> {
            replay.stop();
            thread.join();
        };
    }

    /** Heap in use after a full collection, and resident and peak resident memory (Linux; -1 elsewhere). */
    static String memory() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return "memory heap=" + heap + " rss=" + procStatus("VmRSS") + " peak-rss=" + procStatus("VmHWM");
    }

    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or a format we do not know: reported as unknown
        }
        return -1;
    }
}
