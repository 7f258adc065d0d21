package com.consentry.drill;

import com.consentry.bench.MixPublisher;
import com.consentry.config.AppConfig;

import java.time.Duration;
import java.util.List;

/**
 * Publishes the drill's lines in their order at a steady rate, beside the faults, as {@code bench}
 * publishes the event mix ({@link MixPublisher}: Avro through the registry, keyed by customerId, stamped
 * in publishing order), each line visible only after those before it (in order). The producer's retries
 * carry it over the broker's restart.
 */
final class PacedProducer implements AutoCloseable {
    private final List<String> lines;
    private final int rate;
    private final MixPublisher publisher;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Throwable failure;

    PacedProducer(AppConfig config, List<String> lines, int rate) {
        this.lines = lines;
        this.rate = rate;
        // a restarted broker must not make the producer give up on what it holds
        // in order: the instances read the lines as simulate does, however fast they are published
        this.publisher = new MixPublisher(config.with("delivery.timeout.ms", "600000"), true);
        this.thread = new Thread(this::publish, "drill-producer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void publish() {
        try {
            long started = System.nanoTime();
            for (int i = 0; i < lines.size() && !stopped; i++) {
                publisher.accept(lines.get(i));
                long due = started + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            publisher.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Waits until every line is published and acknowledged; fails if the producer failed or is still at it. */
    void await(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        if (failure != null) {
            throw new IllegalStateException("the drill's producer failed: " + failure.getMessage(), failure);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the drill's producer did not publish every line within the time bound");
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(10_000);
        publisher.close();
    }
}
