package com.consentry.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A seeded, realistic mix of retail events in the {@code simulate} input format, for benchmarks and
 * regression digests: customers in GB, DE, US, FR and a few other countries (some minors), consents
 * at sign-up with German double opt-in, carts bought or abandoned, orders (some without a cart, some
 * cancelled or returned, some from long ago), unsubscribes (a few naming only an address), profile
 * updates, rare erasures, and campaign and service sends, some with a repeated requestId. Activity is
 * skewed across customers (a heavy tail of visits per customer), and event times spread over the span.
 * About 9.5 events per customer; the shares are in {@code docs/benchmark.md}.
 *
 * <p>Lines are in event-time order except late events: 1.5% of consents, unsubscribes, orders and
 * profile updates reach the stream a minute to six hours after their event time, and order history
 * from long ago (15% of customers) arrives with the customer's profile. The same settings give the
 * same lines, byte for byte: every customer draws from its own {@link Random}, seeded from the seed
 * and its number, and only {@code StrictMath} is used.
 */
public final class EventMix {
    private EventMix() {
    }

    /**
     * @param customers how many customers (at least 1)
     * @param span      over how long event times spread (at least a minute)
     * @param seed      the same seed gives the same lines
     * @param start     the earliest event time of the span (order history aside); whole seconds
     */
    public record Settings(int customers, Duration span, long seed, Instant start) {
        public Settings {
            if (customers < 1) {
                throw new IllegalArgumentException("customers must be at least 1, was " + customers);
            }
            if (span.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("span must be at least a minute, was " + span);
            }
            if (start.getNano() != 0) {
                throw new IllegalArgumentException("start must be a whole second, was " + start);
            }
        }
    }

    /**
     * Writes simulate-format JSON lines (one String per line, no newline) to out, in event-time order
     * except for a documented small share of late (out-of-order) events.
     *
     * @return the number of lines written
     */
    public static long generate(Settings s, Consumer<String> out) {
        return generate(s, 0, out);
    }

    /**
     * As {@link #generate(Settings, Consumer)}, for the customers numbered from {@code firstCustomer}:
     * more traffic of the same mix from other customers (e.g. live traffic beside a pre-loaded history).
     */
    public static long generate(Settings s, int firstCustomer, Consumer<String> out) {
        if (firstCustomer < 0 || firstCustomer > Integer.MAX_VALUE - s.customers()) {
            throw new IllegalArgumentException("firstCustomer must be between 0 and " + (Integer.MAX_VALUE - s.customers())
                    + ", was " + firstCustomer);
        }
        long start = s.start().getEpochSecond();
        long span = s.span().getSeconds();
        Campaigns campaigns = Campaigns.plan(start, span);
        List<MixEvent> events = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, s.customers() * 10L));
        for (int i = firstCustomer; i < firstCustomer + s.customers(); i++) {
            Random random = new Random(mix(s.seed(), i));
            Profile profile = Profile.create(i, random, start, span);
            new CustomerTimeline(profile, random, start, span, campaigns, events::add).generate();
        }
        events.sort(MixEvent.EMIT_ORDER);
        for (MixEvent e : events) {
            out.accept(e.json());
        }
        return events.size();
    }

    /** SplitMix64's finaliser of seed and customer number: unrelated streams for neighbouring customers. */
    private static long mix(long seed, int customer) {
        long z = seed + 0x9E3779B97F4A7C15L * (customer + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
