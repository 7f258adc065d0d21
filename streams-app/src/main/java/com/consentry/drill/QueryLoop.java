package com.consentry.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Point queries against both instances while the faults run, as a load balancer in front of them routes
 * them (a Kubernetes Service, or nginx with an active health check): a probe asks every instance's
 * {@code /health/ready} once a second, and each query goes to an instance picked at random among those
 * whose last probe answered 200 (among all when none did), and to another one when the first cannot be
 * reached at all (a killed JVM refuses connections; a balancer retries elsewhere). An instance just
 * restarted gets no query until it says it is ready, so what this measures is that readiness tells the
 * truth and that a ready instance answers. A query is answered when it gets a 200, stale or not; anything
 * else (503, a timeout) is not.
 */
final class QueryLoop implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration PROBE_PERIOD = Duration.ofSeconds(1);

    /** One point query: a customer, a brand and a channel. */
    record Point(String customerId, String brand, String channel) {
    }

    private final List<Instance> instances;
    private final List<Point> points;
    private final Random random;
    private final Duration pause;
    private final Thread thread;
    private final Thread probe;
    /** Whether each instance's last readiness probe answered 200. */
    private final boolean[] ready;
    private volatile boolean running = true;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final Map<String, Long> failures = new TreeMap<>();
    /** Every unanswered query, as {@code time instance status body}, at most {@value #LOGGED} of them. */
    private final List<String> unanswered = new ArrayList<>();
    private static final int LOGGED = 100_000;

    QueryLoop(List<Instance> instances, List<Point> points, long seed, Duration pause) {
        this.instances = instances;
        this.points = points;
        this.random = new Random(seed);
        this.pause = pause;
        this.ready = new boolean[instances.size()];
        this.thread = new Thread(this::loop, "drill-queries");
        thread.setDaemon(true);
        this.probe = new Thread(this::probe, "drill-readiness-probe");
        probe.setDaemon(true);
    }

    void start() {
        probe.start();
        thread.start();
    }

    private void probe() {
        while (running) {
            for (int i = 0; i < instances.size(); i++) {
                boolean r = instances.get(i).ready();
                synchronized (ready) {
                    ready[i] = r;
                }
            }
            try {
                Thread.sleep(PROBE_PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** An instance at random among those last seen ready, or among all when none was. */
    private int pick() {
        List<Integer> candidates = new ArrayList<>();
        synchronized (ready) {
            for (int i = 0; i < ready.length; i++) {
                if (ready[i]) {
                    candidates.add(i);
                }
            }
        }
        if (candidates.isEmpty()) {
            return random.nextInt(instances.size());
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private void loop() {
        while (running) {
            Point p = points.get(random.nextInt(points.size()));
            int first = pick();
            Instance asked = instances.get(first);
            Instance.Reply r = asked.answer(p.customerId(), p.brand(), p.channel(), TIMEOUT);
            if (!r.reached()) {
                asked = instances.get(1 - first);
                r = asked.answer(p.customerId(), p.brand(), p.channel(), TIMEOUT);
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
                    if (unanswered.size() < LOGGED) {
                        unanswered.add(Instant.now() + " " + asked.label() + " " + p.customerId() + " " + r.status()
                                + " " + r.body().replace('\n', ' '));
                    }
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

    /** The unanswered queries, one line each: when, the instance asked, the customer, the status and the body. */
    List<String> unanswered() {
        synchronized (failures) {
            return new ArrayList<>(unanswered);
        }
    }

    double answeredShare() {
        return sent() == 0 ? 1.0 : (double) answered() / sent();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        probe.interrupt();
        thread.join(5000);
        probe.join(5000);
    }
}
