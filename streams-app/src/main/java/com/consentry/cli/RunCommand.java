package com.consentry.cli;

import com.consentry.config.AppConfig;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** {@code run [--config FILE]}: the service against an existing Kafka cluster and schema registry. */
final class RunCommand implements Main.Command {
    @Override
    public String summary() {
        return "run the service against an existing Kafka cluster and schema registry";
    }

    @Override
    public String usage() {
        return """
                usage: run [--config FILE]

                Runs Consentry against an existing Kafka cluster and schema registry. FILE is a
                .properties or .yaml file; every key can also be set from the environment (see the
                README). Without a file the local defaults apply: Kafka 127.0.0.1:9092, registry
                http://127.0.0.1:8081/apis/ccompat/v7, HTTP API 127.0.0.1:8080 — the addresses `dev`
                listens on. Kafka client settings (security.protocol, sasl.*, ssl.*, ...) pass through
                unchanged. Stops gracefully on SIGTERM or Ctrl-C (streams closed, state flushed, exit 0).""";
    }

    @Override
    public int run(Args args) throws Exception {
        String file = args.option("config");
        args.rejectUnknown();
        AppConfig config = AppConfig.load(file == null ? null : Path.of(file), System.getenv());
        AtomicReference<ServiceRunner> running = new AtomicReference<>();
        AtomicBoolean startFailed = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        // installed before start, so that SIGTERM while starting also stops cleanly with status 0
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (startFailed.get()) {
                return; // the JVM exits with the failure's status
            }
            ServiceRunner runner = running.get();
            if (runner != null) {
                runner.close();
            }
            stopped.countDown();
            // a graceful stop on SIGTERM is a success: exit 0, not the signal's 143
            Runtime.getRuntime().halt(0);
        }, "consentry-shutdown"));
        try {
            running.set(ServiceRunner.start(config));
        } catch (Exception | Error e) {
            startFailed.set(true);
            throw e;
        }
        stopped.await();
        return 0;
    }
}
