package com.consentry.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code java -jar streams-app.jar <command> [options]}; every command takes {@code --help}. */
public final class Main {
    /** A command line command. */
    public interface Command {
        String summary();

        String usage();

        /** Runs the command; returns the exit status. */
        int run(Args args) throws Exception;

        /** Commands named by the next word, e.g. {@code bench generate}; none by default. */
        default Map<String, Command> subcommands() {
            return Map.of();
        }
    }

    static Map<String, Command> commands(PrintStream out, PrintStream err) {
        Map<String, Command> c = new LinkedHashMap<>();
        c.put("dev", new DevCommand());
        c.put("run", new RunCommand());
        c.put("simulate", new SimulateCommand());
        c.put("produce", new ProduceCommand());
        c.put("export", new ExportCommand(out, err));
        c.put("bench", new BenchCommand());
        c.put("replay", new ReplayCommand());
        c.put("drill", new DrillCommand());
        return c;
    }

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(execute(argv, System.out, System.err));
    }

    /** Runs one command line, {@code export}'s output and errors to {@code out} and {@code err}; returns the exit status. */
    public static int execute(String[] argv, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands(out, err);
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            PrintStream to = argv.length == 0 ? err : out;
            to.println("usage: java -jar streams-app.jar <command> [options]\n\ncommands:");
            commands.forEach((name, cmd) -> to.printf("  %-10s %s%n", name, cmd.summary()));
            to.println("\nRun a command with --help for its options.");
            return argv.length == 0 ? 2 : 0;
        }
        Command cmd = commands.get(argv[0]);
        if (cmd == null) {
            err.println("unknown command '" + argv[0] + "'; commands: " + String.join(", ", commands.keySet()));
            return 2;
        }
        String name = argv[0];
        int first = 1;
        Map<String, Command> subcommands = cmd.subcommands();
        if (argv.length > 1 && !subcommands.isEmpty() && !argv[1].startsWith("-")) {
            if (!subcommands.containsKey(argv[1])) {
                err.println(name + ": unknown subcommand '" + argv[1] + "'; subcommands: "
                        + String.join(", ", subcommands.keySet()));
                return 2;
            }
            cmd = subcommands.get(argv[1]);
            name += " " + argv[1];
            first = 2;
        }
        try {
            Args args = Args.parse(Arrays.copyOfRange(argv, first, argv.length));
            if (args.flag("help")) {
                out.println(cmd.usage());
                return 0;
            }
            return cmd.run(args);
        } catch (Args.UsageException e) {
            err.println(name + ": " + e.getMessage());
            err.println(cmd.usage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println(name + ": " + e);
            return 1;
        }
    }
}
