package com.consentry.bench;

import com.consentry.config.AppConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Live traffic of the same mix at a fixed rate, beside the opt-out measurement: new customers (numbered
 * after the pre-loaded ones) signing up, shopping and receiving sends. It publishes minute-long chunks of
 * the mix (event times from the start instant on, customers enough for {@code rate} events a second),
 * each generated when the previous one is used up, paced to {@code rate} records a second.
 */
final class BackgroundTraffic implements AutoCloseable {
    private static final Duration CHUNK = Duration.ofMinutes(1);
    private final MixPublisher publisher;
    private final int rate;
    private final long seed;
    private final int chunkCustomers;
    private final int firstCustomer;
    private final Instant start;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private List<String> chunk;
    private long startedNanos;
    private long stoppedNanos;

    /** Generates the first chunk; {@link #start()} starts publishing. */
    BackgroundTraffic(AppConfig config, int rate, long seed, int firstCustomer, Instant start) {
        this.publisher = new MixPublisher(config);
        this.rate = rate;
        this.seed = seed;
        this.chunkCustomers = (int) Math.max(20, Math.ceil(rate * CHUNK.toSeconds() / 9.5));
        this.firstCustomer = firstCustomer;
        this.start = start;
        this.chunk = chunk(0);
        this.thread = new Thread(this::publish, "bench-background-traffic");
        thread.setDaemon(true);
    }

    private List<String> chunk(int k) {
        List<String> lines = new ArrayList<>();
        EventMix.generate(new EventMix.Settings(chunkCustomers, CHUNK, seed + 1 + k, start.plus(CHUNK.multipliedBy(k))),
                firstCustomer + k * chunkCustomers, lines::add);
        return lines;
    }

    void start() {
        startedNanos = System.nanoTime();
        thread.start();
    }

    private void publish() {
        try {
            long sent = 0;
            for (int k = 0; running; k++) {
                if (k > 0) {
                    chunk = chunk(k);
                }
                for (String line : chunk) {
                    if (!running) {
                        break;
                    }
                    long due = startedNanos + sent * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 1_000_000) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    publisher.accept(line);
                    sent++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Stops publishing; returns the records a second actually published. */
    double stop() throws InterruptedException {
        running = false;
        thread.join(30_000);
        stoppedNanos = System.nanoTime();
        if (failure != null) {
            throw new IllegalStateException("background traffic failed: " + failure.getMessage(), failure);
        }
        return publisher.published() / ((stoppedNanos - startedNanos) / 1e9);
    }

    @Override
    public void close() {
        running = false;
        publisher.close();
    }
}
