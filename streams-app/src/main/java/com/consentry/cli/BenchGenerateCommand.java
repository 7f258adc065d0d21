package com.consentry.cli;

import com.consentry.bench.EventMix;
import com.consentry.bench.MixStats;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** {@code bench generate}: writes the seeded event mix of the benchmarks as a simulate input file. */
final class BenchGenerateCommand implements Main.Command {
    static final Instant DEFAULT_START = Instant.parse("2026-03-01T00:00:00Z");

    @Override
    public String summary() {
        return "write a seeded, realistic event mix in the simulate input format";
    }

    @Override
    public String usage() {
        return """
                usage: bench generate --customers N --hours H [--seed 1] [--start 2026-03-01T00:00:00Z]
                                      --out FILE|-

                Writes the benchmarks' event mix as JSON Lines in the simulate input format, for
                simulate, produce or a regression digest: profiles in GB, DE, US, FR and a few other
                countries, consents (German double opt-in), carts bought or abandoned, orders, unsubscribes
                (a few naming only an address), profile updates, rare erasures, and campaign and service
                sends, about 9.5 events per customer, skewed across customers, with event times over
                --hours hours (a decimal number) from --start. Lines are in event-time order but for a
                small share of late events (see docs/benchmark.md). The same options give the same file,
                byte for byte. '--out -' writes to standard output; a summary of the lines by type goes
                to standard error.""";
    }

    @Override
    public int run(Args args) throws Exception {
        EventMix.Settings settings = MixOptions.parse(args, null, null, span -> DEFAULT_START);
        String out = args.required("out");
        args.rejectUnknown();
        MixStats stats = new MixStats();
        try (Writer w = out.equals("-")
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
                : Files.newBufferedWriter(Path.of(out), StandardCharsets.UTF_8)) {
            EventMix.generate(settings, line -> {
                stats.accept(line);
                try {
                    w.write(line);
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            System.err.println("bench generate: cannot write " + out + ": " + reason(e));
            return 2;
        } catch (UncheckedIOException e) {
            System.err.println("bench generate: cannot write " + out + ": " + reason(e.getCause()));
            return 2;
        }
        System.err.println("bench generate: " + stats.summary());
        return 0;
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "its directory does not exist" : e.toString();
    }
}
