package com.consentry.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches; nothing positional. */
public final class Args {
    private final Map<String, String> options;
    private final Set<String> flags;
    private final Set<String> used = new HashSet<>();

    private Args(Map<String, String> options, Set<String> flags) {
        this.options = options;
        this.flags = flags;
    }

    /** A command line that does not fit the command. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    static Args parse(String[] argv) throws UsageException {
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < argv.length && (!argv[i + 1].startsWith("--") || argv[i + 1].equals("-"))) {
                options.put(name, argv[++i]);
            } else {
                flags.add(name);
            }
        }
        return new Args(options, flags);
    }

    public boolean flag(String name) {
        used.add(name);
        return flags.contains(name);
    }

    public String option(String name) {
        used.add(name);
        return options.get(name);
    }

    public String required(String name) throws UsageException {
        String v = option(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    public int intOption(String name, int dflt) throws UsageException {
        String v = option(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a whole number, got '" + v + "'");
        }
    }

    /** Fails on options the command did not ask for (typos must not be silently ignored). */
    public void rejectUnknown() throws UsageException {
        for (String k : options.keySet()) {
            if (!used.contains(k)) {
                throw new UsageException("unknown option --" + k);
            }
        }
        for (String k : flags) {
            if (!used.contains(k)) {
                throw new UsageException("unknown option --" + k);
            }
        }
    }
}
