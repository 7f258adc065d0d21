package com.consentry.topology;

/**
 * Keys of the time-ordered indexes ({@link StoreNames#REMINDER_DUE}, {@link StoreNames#SWEEP_DUE}): a
 * due time as 20 zero-padded decimal digits, so that the keys sort by due time, then NUL and the entity.
 * The suppression list's keys carry their entry's time in the same form ({@link GlobalSuppressionList#key}).
 * The format is part of the stores' contract (their changelogs hold it).
 */
final class DueKeys {
    private static final int WIDTH = 20;

    private DueKeys() {
    }

    /** The 20-digit form of {@code millis} (as {@code String.format("%020d", millis)}, without its cost). */
    static String millis(long millis) {
        if (millis < 0) {
            return String.format("%020d", millis);
        }
        char[] out = new char[WIDTH];
        long v = millis;
        for (int i = WIDTH - 1; i >= 0; i--) {
            out[i] = (char) ('0' + (v % 10));
            v /= 10;
        }
        return new String(out);
    }

    /** The due time of an index key. */
    static long dueMillis(String key) {
        return Long.parseLong(key.substring(0, WIDTH));
    }
}
