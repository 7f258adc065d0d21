package com.consentry.cli;

import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

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
        ServiceRunner runner = ServiceRunner.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
            // a graceful stop on SIGTERM is a success: exit 0, not the signal's 143
            Runtime.getRuntime().halt(0);
        }, "consentry-shutdown"));
        stopped.await();
        return 0;
    }
}
