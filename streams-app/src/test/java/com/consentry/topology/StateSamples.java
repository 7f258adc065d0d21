package com.consentry.topology;

import com.consentry.ingest.Inbound;
import com.consentry.policy.Answer;
import com.consentry.policy.CartFact;
import com.consentry.policy.Channel;
import com.consentry.policy.ConsentFact;
import com.consentry.policy.ConsentStatus;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.Decision;
import com.consentry.policy.Evidence;
import com.consentry.policy.FactType;
import com.consentry.policy.OrderFact;
import com.consentry.policy.OrderStatus;
import com.consentry.policy.ProfileUpdate;
import com.consentry.policy.Purpose;
import com.consentry.policy.Reason;
import com.consentry.policy.SendOutcome;
import com.consentry.policy.SentMessage;
import com.consentry.policy.Suppression;
import com.consentry.policy.UnsubscribeFact;
import com.consentry.policy.UnsubscribeSource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * State values for the serde tests: {@code full} ones with every field set (instants with nanoseconds,
 * one before the epoch), {@code sparse} ones with every nullable field null and every list empty, and a
 * {@code typical} customer of the size the service sees.
 */
final class StateSamples {
    /** An instant with nanoseconds beyond its millisecond. */
    static final Instant NANOS = Instant.parse("2026-03-01T10:15:30.123456789Z");
    /** Before the epoch, with sub-millisecond nanoseconds: the floor millisecond is negative. */
    static final Instant BEFORE_EPOCH = Instant.parse("1969-12-31T23:59:59.999000001Z");
    static final Instant MILLIS = Instant.parse("2026-03-01T10:15:30.123Z");
    private static final String[] BRANDS = {"NET-A-PORTER", "MR PORTER", "THE OUTNET"};

    private StateSamples() {
    }

    static Evidence evidence(Instant at) {
        return new Evidence(FactType.CONSENT, "ev-consent", "CHECKOUT", at, "ev-confirm");
    }

    static CustomerHistory fullHistory() {
        CustomerHistory h = new CustomerHistory();
        h.profile.add(new ProfileUpdate("ev-p1", NANOS, h.takeSeq(), Set.of(ProfileUpdate.COUNTRY, ProfileUpdate.PHONE),
                "GB", LocalDate.of(1990, 5, 5), "Europe/London", "hash-email", "hash-phone",
                new TreeMap<>(Map.of("GB", "hash-gb", "DE", "hash-de"))));
        h.profile.add(new ProfileUpdate("ev-p2", BEFORE_EPOCH, h.takeSeq(), Set.of(ProfileUpdate.EMAIL), null, null, null,
                null, null, null));
        h.consents.add(new ConsentFact("ev-c1", NANOS, h.takeSeq(), "*", Channel.EMAIL, ConsentStatus.GRANTED,
                "CHECKOUT", NANOS.plusSeconds(86_400)));
        h.consents.add(new ConsentFact("ev-c2", MILLIS, h.takeSeq(), "MR PORTER", Channel.SMS, ConsentStatus.WITHDRAWN,
                null, null));
        h.unsubscribes.add(new UnsubscribeFact("ev-u1", NANOS, h.takeSeq(), "THE OUTNET", Channel.POST,
                UnsubscribeSource.HARD_BOUNCE, "hash-address"));
        h.unsubscribes.add(new UnsubscribeFact("ev-u2", MILLIS, h.takeSeq(), "*", null, null, null));
        h.orders.add(new OrderFact("ev-o1", NANOS, h.takeSeq(), "o-1", "MR PORTER", OrderStatus.PLACED, "k-1"));
        h.orders.add(new OrderFact("ev-o2", MILLIS, h.takeSeq(), "o-2", "MR PORTER", OrderStatus.RETURNED, null));
        h.carts.add(new CartFact("ev-k1", NANOS, h.takeSeq(), "THE OUTNET"));
        h.erasedAt = BEFORE_EPOCH;
        h.erasureEventId = "ev-erase";
        return h;
    }

    static CustomerState fullCustomer() {
        CustomerState s = new CustomerState();
        s.history = fullHistory();
        s.published.put(CustomerState.rowKey("NET-A-PORTER", Channel.EMAIL),
                new Answer(true, Reason.CONSENT, evidence(NANOS)));
        s.published.put(CustomerState.rowKey("MR PORTER", Channel.TARGETED_ADS), new Answer(false, Reason.NO_CONSENT, null));
        s.viewAt = NANOS;
        s.sent.add(new SentMessage("r-2", NANOS, Channel.SMS));
        s.sent.add(new SentMessage("r-1", MILLIS, Channel.EMAIL));
        s.linkedHashes = new TreeSet<>(List.of("hash-phone", "hash-email"));
        s.nextChangeAt = NANOS.plusSeconds(3600);
        s.sweepDueAt = BEFORE_EPOCH;
        s.retentionHorizon = NANOS.minusSeconds(86_400);
        s.retentionDueAt = MILLIS.plusSeconds(7200);
        return s;
    }

    static CartState fullCart() {
        CartState c = new CartState();
        c.customerId = "c-1";
        c.cartId = "k-1";
        c.brand = "THE OUTNET";
        c.events.add(new CartState.Line(NANOS, c.nextSeq++, Inbound.CartAction.ITEM_ADDED, "sku-b", 2, "ev-k1"));
        c.events.add(new CartState.Line(MILLIS, c.nextSeq++, Inbound.CartAction.CHECKED_OUT, null, 0, null));
        c.closedByOrder = true;
        c.items.put("sku-b", 2);
        c.items.put("sku-a", 1);
        c.lastActivityAt = NANOS;
        c.closed = true;
        c.reminded = true;
        c.dueAt = BEFORE_EPOCH;
        return c;
    }

    static SendGate.Seen fullSeen() {
        return new SendGate.Seen("r-1", "spring", "NET-A-PORTER", Channel.PHONE, Purpose.SERVICE, NANOS,
                new SendOutcome(Decision.SUPPRESSED, Reason.QUIET_HOURS, evidence(BEFORE_EPOCH)));
    }

    static SendGate.Seen sparseSeen() {
        return new SendGate.Seen("r-2", null, "MR PORTER", Channel.EMAIL, Purpose.MARKETING, MILLIS,
                new SendOutcome(Decision.APPROVED, Reason.OPT_OUT_MODEL, null));
    }

    static Suppression fullSuppression() {
        return new Suppression("hash-1", EnumSet.of(Channel.SMS, Channel.EMAIL, Channel.PHONE), NANOS, "ev-1", "COMPLAINT",
                new Suppression.Origin(2, 41L));
    }

    static Suppression sparseSuppression() {
        return new Suppression("hash-2", EnumSet.noneOf(Channel.class), MILLIS, "ev-2", null);
    }

    /** 5 profile updates, 6 consents, 4 orders, 3 carts, 15 published rows, 3 sent messages, 2 linked hashes. */
    static CustomerState typicalCustomer() {
        Instant t = Instant.parse("2026-01-01T09:00:00Z");
        CustomerState s = new CustomerState();
        CustomerHistory h = s.history;
        for (int i = 0; i < 5; i++) {
            h.profile.add(new ProfileUpdate("ev-p" + i, t.plusSeconds(60L * i), h.takeSeq(),
                    Set.of(ProfileUpdate.COUNTRY, ProfileUpdate.EMAIL, ProfileUpdate.TIMEZONE), "GB", null, "Europe/London",
                    "9f2c1d5e7a3b4c6d8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d", null, null));
        }
        for (int i = 0; i < 6; i++) {
            h.consents.add(new ConsentFact("ev-c" + i, t.plusSeconds(3600L * i), h.takeSeq(), BRANDS[i % 3],
                    i % 2 == 0 ? Channel.EMAIL : Channel.SMS, ConsentStatus.GRANTED, "CHECKOUT",
                    i == 0 ? t.plusSeconds(86_400L * 365) : null));
        }
        for (int i = 0; i < 4; i++) {
            h.orders.add(new OrderFact("ev-o" + i, t.plusSeconds(7200L * i), h.takeSeq(), "order-" + i, BRANDS[i % 3],
                    OrderStatus.PLACED, "cart-" + i));
        }
        for (int i = 0; i < 3; i++) {
            h.carts.add(new CartFact("ev-k" + i, t.plusSeconds(5400L * i), h.takeSeq(), BRANDS[i]));
        }
        for (String brand : BRANDS) {
            for (Channel ch : Channel.values()) {
                boolean email = ch == Channel.EMAIL;
                s.published.put(CustomerState.rowKey(brand, ch), new Answer(email, email ? Reason.CONSENT : Reason.NO_CONSENT,
                        email ? new Evidence(FactType.CONSENT, "ev-c0", "CHECKOUT", t, null) : null));
            }
        }
        s.viewAt = t.plusSeconds(36_000);
        for (int i = 0; i < 3; i++) {
            s.sent.add(new SentMessage("request-" + i, t.plusSeconds(600L * i), Channel.EMAIL));
        }
        s.linkedHashes = new TreeSet<>(List.of("9f2c1d5e7a3b4c6d8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
                "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d9f2c1d5e7a3b4c6d8e0f"));
        s.nextChangeAt = t.plusSeconds(86_400L * 365);
        return s;
    }
}
