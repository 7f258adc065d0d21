package com.consentry.replay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The replay's progress figures: records done of the total, the rate over the last samples
 * (records/s) and the time left at that rate, as one line for the terminal.
 */
public final class ProgressLine {
    /** The rate is measured over this many of the latest samples. */
    private static final int WINDOW = 10;
    private final String id;
    private final Deque<long[]> samples = new ArrayDeque<>();
    private volatile long done;
    private volatile long total;
    private volatile double rate;

    public ProgressLine(String id) {
        this.id = id;
    }

    /** Records a sample: {@code done} of {@code total} records at {@code nanos} (any monotonic clock). */
    public synchronized void update(long done, long total, long nanos) {
        this.done = done;
        this.total = total;
        samples.addLast(new long[] {nanos, done});
        while (samples.size() > WINDOW) {
            samples.removeFirst();
        }
        long[] first = samples.getFirst();
        double seconds = (nanos - first[0]) / 1e9;
        rate = seconds > 0 ? (done - first[1]) / seconds : 0;
    }

    public long done() {
        return done;
    }

    public long total() {
        return total;
    }

    public double recordsPerSecond() {
        return rate;
    }

    /** Seconds left at the current rate; -1 when unknown (no progress measured yet). */
    public long etaSeconds() {
        if (done >= total) {
            return 0;
        }
        return rate > 0 ? (long) Math.ceil((total - done) / rate) : -1;
    }

    /** E.g. {@code replay fix-1: 12,345 / 50,000 records (24.7%), 4,836 records/s, ETA 0:00:08}. */
    public String format() {
        double pct = total == 0 ? 100 : 100.0 * done / total;
        long eta = etaSeconds();
        String etaText = eta < 0 ? "?" : hms(Duration.ofSeconds(eta));
        return String.format(java.util.Locale.ROOT, "replay %s: %,d / %,d records (%.1f%%), %,.0f records/s, ETA %s", id, done, total, pct,
                rate, etaText);
    }

    private static String hms(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
