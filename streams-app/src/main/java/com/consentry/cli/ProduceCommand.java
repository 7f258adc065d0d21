package com.consentry.cli;

import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/** {@code produce --input FILE [--config FILE]}: replays simulate-format lines into the real topics. */
final class ProduceCommand implements Main.Command {
    @Override
    public String summary() {
        return "publish simulate-format lines to the real input topics (Avro through the registry)";
    }

    @Override
    public String usage() {
        return """
                usage: produce --input FILE|- [--config FILE]

                Publishes each event line of FILE (the simulate input format) to its input topic, Avro
                encoded through the schema registry, keyed by customerId (or by the address of an
                address-only unsubscribe) and timestamped with its `at`, or 1 ms after the record before
                it when that is later, so that timestamps rise in file order. `query` and `clock` lines
                are skipped. A bad line is reported on standard error with its line number; every other
                line is still published. Each record is acknowledged before the next is sent, so that the
                service, which reads a backlog of its input topics in timestamp order, sees them as the
                file orders them even across topics, late events included. Without --config the local defaults apply (the addresses `dev` uses).
                Exit status: 0 when the file was read to the end and every record acknowledged, 1 when
                the cluster refused a record, 2 for a usage error or an unreadable file.""";
    }

    @Override
    public int run(Args args) throws Exception {
        String input = args.required("input");
        String file = args.option("config");
        args.rejectUnknown();
        AppConfig config = AppConfig.load(file == null ? null : Path.of(file), System.getenv());
        LineParser parser = new LineParser(config.topics(), config.eventTimeRules());
        BufferedReader reader = InputFiles.open("produce", input);
        if (reader == null) {
            return 2;
        }
        int produced = 0;
        int skipped = 0;
        int bad = 0;
        try (reader; EventPublisher publisher = new EventPublisher(config, ConsentryService.registryClient(config))) {
            String text;
            int n = 0;
            while ((text = reader.readLine()) != null) {
                n++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    ParsedLine line = parser.parse(text, n);
                    if (line instanceof ParsedLine.Event e) {
                        // one at a time: a later line on another topic must not reach the broker first
                        publisher.publish(e).get();
                        produced++;
                    } else {
                        skipped++;
                    }
                } catch (LineParser.BadLineException e) {
                    System.err.println("produce: line " + n + ": " + e.getMessage());
                    bad++;
                }
            }
        } catch (IOException e) {
            System.err.println("produce: error reading " + input + ": " + e.getMessage());
            return 2;
        } catch (ExecutionException e) {
            System.err.println("produce: the cluster refused a record: " + e.getCause().getMessage());
            return 1;
        }
        System.err.printf("produce: %d records published, %d query/clock lines skipped, %d bad lines%n",
                produced, skipped, bad);
        return 0;
    }
}
