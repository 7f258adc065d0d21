package com.consentry.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The marketing calendar of an {@link EventMix}: about fourteen campaign slots over the span (at most
 * one a day, at least ten seconds apart), rotating over the brands. Three slots in four are EMAIL
 * campaigns in the morning (UTC); every fourth is an SMS campaign in the evening, some of it late enough
 * to fall in quiet hours in Europe. Each customer who has arrived is targeted with probability
 * {@link #reach()}, chosen so that a customer gets about {@value #SENDS_PER_CUSTOMER} campaign sends
 * over their lifetime in the span.
 */
final class Campaigns {
    static final double SENDS_PER_CUSTOMER = 2.0;
    private static final long DAY = 86_400;

    record Campaign(int number, long at, String brand, String channel, String name) {
    }

    private final List<Campaign> list;
    private final double reach;

    private Campaigns(List<Campaign> list, double reach) {
        this.list = list;
        this.reach = reach;
    }

    static Campaigns plan(long start, long spanSeconds) {
        long interval = Math.max(10, Math.min(DAY, spanSeconds / 14));
        List<Campaign> list = new ArrayList<>();
        double presence = 0;
        for (int k = 0; (k + 1) * interval <= spanSeconds; k++) {
            boolean sms = k % 4 == 3;
            long offset = interval < DAY ? interval / 2 : sms ? (19 + k % 3) * 3600L : (8 + k % 4) * 3600L;
            long at = start + k * interval + offset;
            String brand = Profile.BRANDS[k % Profile.BRANDS.length];
            String channel = sms ? "SMS" : "EMAIL";
            list.add(new Campaign(k, at, brand, channel,
                    brand.toLowerCase().replace(' ', '-') + "-" + channel.toLowerCase() + "-" + k));
            // customers arrive uniformly over the first 85% of the span
            presence += Math.min(1.0, (at - start) / (0.85 * spanSeconds));
        }
        return new Campaigns(List.copyOf(list), presence == 0 ? 0 : Math.min(1.0, SENDS_PER_CUSTOMER / presence));
    }

    List<Campaign> all() {
        return list;
    }

    /** The probability that a customer who has arrived is in a campaign's audience. */
    double reach() {
        return reach;
    }
}
