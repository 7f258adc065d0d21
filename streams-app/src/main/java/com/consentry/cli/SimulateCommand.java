package com.consentry.cli;

import com.consentry.config.AppConfig;
import com.consentry.simulate.Simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code simulate --input FILE [--config FILE]}: the real topology over a file of events. */
final class SimulateCommand implements Main.Command {
    @Override
    public String summary() {
        return "run the real topologies over a JSON Lines file of events and print every decision";
    }

    @Override
    public String usage() {
        return """
                usage: simulate --input FILE|- [--config FILE]

                Feeds the JSON Lines file (or standard input for '-') through the service's topology in
                Kafka Streams' TopologyTestDriver, with the real serdes and state stores, and prints every
                decision as JSON Lines on standard output: eligibility, answer, decision, reminder and
                dead-letter lines (see the README). Diagnostics go to standard error.
                Exit status: 0 when the input was read to the end (bad lines included), 2 for a usage
                error or an unreadable file.""";
    }

    @Override
    public int run(Args args) throws Exception {
        String input = args.required("input");
        String configFile = args.option("config");
        args.rejectUnknown();
        AppConfig config = AppConfig.load(configFile == null ? null : Path.of(configFile), System.getenv());
        config.topologySettings(java.time.Instant.EPOCH); // fail fast on a bad setting, before reading input
        BufferedReader reader = InputFiles.open("simulate", input);
        if (reader == null) {
            return 2;
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        try (reader; Simulator sim = new Simulator(config, out)) {
            String line;
            int n = 0;
            while ((line = reader.readLine()) != null) {
                sim.accept(line, ++n);
            }
        } catch (IOException e) {
            System.err.println("simulate: error reading " + input + ": " + e.getMessage());
            return 2;
        }
        return 0;
    }
}
