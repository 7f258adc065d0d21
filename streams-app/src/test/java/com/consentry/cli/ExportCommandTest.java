package com.consentry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code export} on the command line without a service: its usage errors and an instance that is not there. */
class ExportCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void aCustomerIsRequiredAndUnknownOptionsAreRefused() {
        assertThat(run("export")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("export: --customer is required")
                .contains("usage: export --customer ID");
        err.reset();
        assertThat(run("export", "--customer", "c1", "--format", "csv")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --format");
        assertThat(out.size()).isZero();
    }

    @Test
    void anInstanceThatIsNotThereIsExitStatus1WithWhereItLooked() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("c.properties"),
                "consentry.http.host=127.0.0.1\nconsentry.http.port=" + port + "\n");

        assertThat(run("export", "--customer", "c1", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("export: cannot reach 127.0.0.1:" + port);
        assertThat(out.size()).isZero();
    }

    private int run(String... argv) {
        return Main.execute(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
