package com.consentry.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench}: the benchmarks, as subcommands. Without one, {@code bench} is {@code bench query}, the
 * point-query benchmark it has always been.
 */
final class BenchCommand implements Main.Command {
    private final Main.Command query = new BenchQueryCommand();

    @Override
    public String summary() {
        return "benchmarks: point-query latency (query, the default), event mix (generate), throughput (pipeline)";
    }

    @Override
    public Map<String, Main.Command> subcommands() {
        Map<String, Main.Command> s = new LinkedHashMap<>();
        s.put("query", query);
        s.put("generate", new BenchGenerateCommand());
        s.put("pipeline", new BenchPipelineCommand());
        return s;
    }

    @Override
    public String usage() {
        StringBuilder sb = new StringBuilder("usage: bench [query|generate|pipeline] [options]\n\nsubcommands:\n");
        subcommands().forEach((name, cmd) -> sb.append(String.format("  %-10s %s%n", name, cmd.summary())));
        sb.append("\nRun `bench <subcommand> --help` for its options. Without a subcommand, bench runs bench query:\n\n");
        return sb.append(query.usage()).toString();
    }

    @Override
    public int run(Args args) throws Exception {
        return query.run(args);
    }
}
