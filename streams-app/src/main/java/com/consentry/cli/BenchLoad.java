package com.consentry.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The load of {@code bench}: closed-loop clients, each on its own HTTP/1.1 connection, sending point
 * queries for random customers, brands and channels back to back, timing each one.
 */
final class BenchLoad {
    private BenchLoad() {
    }

    /** {@code threads} threads querying for {@code length}; the latencies of every request, sorted. */
    static Result run(String base, IntFunction<String> customerId, int customers, String[] brands, String[] channels,
                      int threads, Duration length) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        long[][] latencies = new long[threads][];
        AtomicLong errors = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int slot = t;
            Thread w = new Thread(() -> latencies[slot] = worker(base, customerId, customers, brands, channels, end,
                    errors), "bench-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all, errors.get(), seconds);
    }

    private static long[] worker(String base, IntFunction<String> customerId, int customers, String[] brands,
                                 String[] channels, long end, AtomicLong errors) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long[] buf = new long[1 << 16];
        int n = 0;
        while (System.nanoTime() < end) {
            String url = base + "/v1/eligibility/" + customerId.apply(random.nextInt(customers)) + "/"
                    + URLEncoder.encode(brands[random.nextInt(brands.length)], StandardCharsets.UTF_8).replace("+", "%20")
                    + "/" + channels[random.nextInt(channels.length)];
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    errors.incrementAndGet();
                }
            } catch (IOException | InterruptedException e) {
                errors.incrementAndGet();
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = System.nanoTime() - t0;
        }
        return Arrays.copyOf(buf, n);
    }

    record Result(long[] sortedNanos, long errors, double seconds) {
        long requests() {
            return sortedNanos.length;
        }

        double percentileMillis(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, Math.min(i, sortedNanos.length - 1))] / 1e6;
        }
    }
}
