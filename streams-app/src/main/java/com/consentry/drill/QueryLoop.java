package com.consentry.drill;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Point queries against both instances while the faults run, as a client behind a load balancer sends
 * them: each goes to one instance picked at random, and to the other one when the first cannot be
 * reached at all (a killed JVM refuses connections; a balancer retries elsewhere). A query is answered
 * when it gets a 200, stale or not; anything else (503, a timeout) is not.
 */
final class QueryLoop implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One point query: a customer, a brand and a channel. */
    record Point(String customerId, String brand, String channel) {
    }

    private final List<Instance> instances;
    private final List<Point> points;
    private final Random random;
    private final Duration pause;
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final Map<String, Long> failures = new TreeMap<>();

    QueryLoop(List<Instance> instances, List<Point> points, long seed, Duration pause) {
        this.instances = instances;
        this.points = points;
        this.random = new Random(seed);
        this.pause = pause;
        this.thread = new Thread(this::loop, "drill-queries");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (running) {
            Point p = points.get(random.nextInt(points.size()));
            int first = random.nextInt(instances.size());
            Instance.Reply r = instances.get(first).answer(p.customerId(), p.brand(), p.channel(), TIMEOUT);
            if (!r.reached()) {
                r = instances.get(1 - first).answer(p.customerId(), p.brand(), p.channel(), TIMEOUT);
            }
            sent.incrementAndGet();
            if (r.status() == 200) {
                answered.incrementAndGet();
                if (r.body().contains("\"stale\":true")) {
                    stale.incrementAndGet();
                }
            } else {
                synchronized (failures) {
                    failures.merge(r.reached() ? Integer.toString(r.status()) : "unreachable", 1L, Long::sum);
                }
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long sent() {
        return sent.get();
    }

    long answered() {
        return answered.get();
    }

    long stale() {
        return stale.get();
    }

    /** Unanswered queries by HTTP status (or {@code unreachable}). */
    Map<String, Long> failures() {
        synchronized (failures) {
            return new TreeMap<>(failures);
        }
    }

    double answeredShare() {
        return sent() == 0 ? 1.0 : (double) answered() / sent();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
