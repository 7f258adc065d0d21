package com.consentry.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Everything one customer of an {@link EventMix} does, in an order that makes sense: the profile first,
 * then (for some) order history from long ago, consents at sign-up (German ones confirmed later by
 * double opt-in), then visits spread over the rest of the span (cart sessions and orders, preference
 * changes, unsubscribes, profile updates), and the campaign sends that reach the customer. Events whose
 * time falls at or after the end of the span are not written, and nothing but sends follows an erasure.
 */
final class CustomerTimeline {
    /** Share of consents, unsubscribes, orders and profile updates that reach the stream late. */
    static final double LATE_SHARE = 0.015;
    private static final long MINUTE = 60;
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;
    private static final String[] SIGN_UP_SOURCES = {"CHECKOUT", "ACCOUNT_SIGNUP", "NEWSLETTER_FORM", "PREFERENCE_CENTER"};

    final Profile profile;
    final Random random;
    private final long end;
    private final long spanSeconds;
    private final Campaigns campaigns;
    private final Consumer<MixEvent> out;
    private final List<String[]> grants = new ArrayList<>();
    private final Shopping shopping;
    private final AccountChanges account;
    private int seq;
    private long erasedAt = Long.MAX_VALUE;

    CustomerTimeline(Profile profile, Random random, long start, long spanSeconds, Campaigns campaigns,
                     Consumer<MixEvent> out) {
        this.profile = profile;
        this.random = random;
        this.end = start + spanSeconds;
        this.spanSeconds = spanSeconds;
        this.campaigns = campaigns;
        this.out = out;
        this.shopping = new Shopping(this);
        this.account = new AccountChanges(this);
    }

    void generate() {
        long t = profile.arrival();
        emit(event(MixEvent.Kind.UPSERT, t), false);
        if (random.nextInt(100) < 15) {
            shopping.historicOrder(t, end);
        }
        signUpConsents(t + 5 + random.nextInt(600));
        if (random.nextInt(1000) < 4 && end - t > 2 * DAY) {
            erasedAt = t + DAY + (long) (random.nextDouble() * (end - t - DAY));
        }
        long[] visits = new long[profile.visits()];
        for (int i = 0; i < visits.length; i++) {
            visits[i] = t + 10 * MINUTE + (long) (random.nextDouble() * Math.max(1, end - t - 10 * MINUTE));
        }
        Arrays.sort(visits);
        for (long v : visits) {
            if (v < erasedAt) {
                visit(v);
            }
        }
        if (random.nextInt(1000) < 5) {
            account.addressOnlyUnsubscribe(t + (long) (random.nextDouble() * (end - t)));
        }
        if (erasedAt < end) {
            emit(event(MixEvent.Kind.ERASURE, erasedAt), false);
        }
        campaignSends(t);
    }

    private void visit(long v) {
        int d = random.nextInt(100);
        if (d < 58) {
            shopping.cartSession(v);
        } else if (d < 66) {
            shopping.placeOrder(v, randomBrand(), -1);
        } else if (d < 80) {
            preferenceChange(v);
        } else if (d < 93) {
            account.unsubscribe(v);
        } else {
            account.profileUpdate(v);
        }
    }

    private void signUpConsents(long at) {
        String source = SIGN_UP_SOURCES[random.nextInt(SIGN_UP_SOURCES.length)];
        if (random.nextInt(100) < 72) {
            grant(profile.brand(), "EMAIL", at, source);
        }
        if (random.nextInt(100) < 20) {
            grant(Profile.BRANDS[(profile.primaryBrand() + 1) % Profile.BRANDS.length], "EMAIL", at + 1, source);
        }
        if (profile.phone() != null && random.nextInt(100) < 30) {
            grant(profile.brand(), "SMS", at + 2, source);
        }
        if (random.nextInt(100) < 12) {
            grant(profile.brand(), "TARGETED_ADS", at + 3, "COOKIE_BANNER");
        }
        if (random.nextInt(100) < 3) {
            grant("*", "EMAIL", at + 4, "PREFERENCE_CENTER");
        }
    }

    /** A grant; 8% expire (mostly within the span); German email and SMS grants are mostly confirmed later. */
    private void grant(String brand, String channel, long at, String source) {
        MixEvent g = consent(brand, channel, at, "GRANTED", source);
        if (random.nextInt(100) < 8) {
            g.expiresAt = at + HOUR + (long) (random.nextDouble() * spanSeconds);
        }
        emit(g, true);
        grants.add(new String[] {brand, channel});
        boolean doubleOptIn = profile.german() && (channel.equals("EMAIL") || channel.equals("SMS"));
        if (doubleOptIn && random.nextInt(100) < 80) {
            emit(consent(brand, channel, at + logUniform(MINUTE, 2 * DAY), "CONFIRMED", "DOUBLE_OPT_IN_LINK"), true);
        }
    }

    private MixEvent consent(String brand, String channel, long at, String status, String source) {
        MixEvent e = event(MixEvent.Kind.CONSENT, at);
        e.brand = brand;
        e.channel = channel;
        e.code = status;
        e.text = source;
        return e;
    }

    private void preferenceChange(long v) {
        if (!grants.isEmpty() && random.nextInt(100) < 40) {
            String[] g = grants.get(random.nextInt(grants.size()));
            emit(consent(g[0], g[1], v, "WITHDRAWN", random.nextBoolean() ? "PREFERENCE_CENTER" : "CUSTOMER_CARE"), true);
            return;
        }
        String[] channels = {"EMAIL", "EMAIL", "SMS", "TARGETED_ADS", "PHONE", "POST"};
        String channel = channels[random.nextInt(channels.length)];
        if (channel.equals("SMS") && profile.phone() == null) {
            channel = "EMAIL";
        }
        grant(randomBrand(), channel, v, "PREFERENCE_CENTER");
    }

    private void campaignSends(long arrival) {
        for (Campaigns.Campaign c : campaigns.all()) {
            if (c.at() < arrival + MINUTE || c.at() >= end || (c.channel().equals("SMS") && profile.phone() == null)
                    || random.nextDouble() >= campaigns.reach()) {
                continue;
            }
            MixEvent s = send(c.at(), c.brand(), c.channel(), "MARKETING", c.name(), -1, c.number());
            if (random.nextInt(200) == 0) {
                // the marketing system retried: the same requestId, which must get its first decision again
                MixEvent again = send(c.at() + 5 + random.nextInt(300), s.brand, s.channel, s.code, s.text, -1, s.ref2);
                emit(again, false);
            }
            emit(s, false);
        }
    }

    MixEvent send(long at, String brand, String channel, String purpose, String campaign, int order, int campaignNo) {
        MixEvent s = event(MixEvent.Kind.SEND, at);
        s.brand = brand;
        s.channel = channel;
        s.code = purpose;
        s.text = campaign;
        s.ref = order;
        s.ref2 = campaignNo;
        return s;
    }

    MixEvent event(MixEvent.Kind kind, long at) {
        return new MixEvent(kind, profile, seq++, at);
    }

    /**
     * Writes {@code e} unless its time is at or after the end of the span; a {@code mayBeLate} event
     * reaches the stream from a minute to six hours late with probability {@link #LATE_SHARE}.
     */
    void emit(MixEvent e, boolean mayBeLate) {
        if (e.at >= end) {
            return;
        }
        if (mayBeLate && random.nextDouble() < LATE_SHARE) {
            e.emitAt = e.at + logUniform(MINUTE, 6 * HOUR);
        }
        out.accept(e);
    }

    String randomBrand() {
        return random.nextInt(10) < 7 ? profile.brand() : Profile.BRANDS[random.nextInt(Profile.BRANDS.length)];
    }

    long logUniform(long min, long max) {
        return (long) (min * StrictMath.exp(random.nextDouble() * StrictMath.log((double) max / min)));
    }

    static Instant monthsBefore(long epochSecond, int months) {
        return Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).minusMonths(months).toInstant();
    }
}
