package com.consentry.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Decides a send at its event time: service messages, then for marketing the eligibility rule, quiet
 * hours in the customer's local time, and the frequency cap across brands.
 */
public final class SendPolicy {
    private final EligibilityPolicy eligibility;

    public SendPolicy(EligibilityPolicy eligibility) {
        this.eligibility = eligibility;
    }

    /**
     * @param sent the customer's approved marketing messages (any time; only those near the request count)
     */
    public SendOutcome decide(CustomerHistory h, SuppressionList suppressions, SendRequest req,
                              Collection<SentMessage> sent) {
        Instant t = req.at();
        if (req.purpose() == Purpose.SERVICE) {
            Answer a = eligibility.decideService(h, suppressions, req.brand(), req.channel(), t, req.addressHash());
            return outcome(a);
        }
        Answer a = eligibility.decide(h, suppressions, req.brand(), req.channel(), t, req.addressHash());
        if (!a.eligible()) {
            return outcome(a);
        }
        Profile p = h.profileAt(t);
        ChannelRule rule = eligibility.config().rulesFor(p.country()).channel(req.channel());
        if (rule.inQuietHours(t.atZone(eligibility.zoneOf(p)).toLocalTime())) {
            return new SendOutcome(Decision.SUPPRESSED, Reason.QUIET_HOURS, a.evidence());
        }
        if (wouldExceedCap(sent, req, rule.cap(), eligibility.config().capWindow())) {
            return new SendOutcome(Decision.SUPPRESSED, Reason.FREQUENCY_CAP, a.evidence());
        }
        return new SendOutcome(Decision.APPROVED, a.reason(), a.evidence());
    }

    private static SendOutcome outcome(Answer a) {
        return new SendOutcome(a.eligible() ? Decision.APPROVED : Decision.SUPPRESSED, a.reason(), a.evidence());
    }

    /**
     * True when some window [s, s + window) containing the request's time would hold more than
     * {@code cap} messages of its channel once the request is added. A message exactly one window
     * after another is in a new window.
     */
    static boolean wouldExceedCap(Collection<SentMessage> sent, SendRequest req, int cap, Duration window) {
        if (cap < 0) {
            return false;
        }
        Instant t = req.at();
        List<Instant> times = new ArrayList<>();
        for (SentMessage m : sent) {
            if (m.channel() == req.channel() && !m.requestId().equals(req.requestId())
                    && m.at().isAfter(t.minus(window)) && m.at().isBefore(t.plus(window))) {
                times.add(m.at());
            }
        }
        times.add(t);
        for (Instant start : times) {
            if (start.isAfter(t)) {
                continue;
            }
            Instant end = start.plus(window);
            long inWindow = times.stream().filter(x -> !x.isBefore(start) && x.isBefore(end)).count();
            if (inWindow > cap) {
                return true;
            }
        }
        return false;
    }
}
