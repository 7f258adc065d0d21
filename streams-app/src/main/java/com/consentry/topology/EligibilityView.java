package com.consentry.topology;

import com.consentry.avro.CustomerEligibility;
import com.consentry.policy.Answer;
import com.consentry.policy.Channel;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.EligibilityPolicy;
import com.consentry.policy.Profile;
import com.consentry.policy.SuppressionList;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The published eligibility view of one customer: every channel of every brand named in their facts,
 * plus the group's brands when a {@code *} fact exists. A new view is published only when some answer
 * (eligible or reason) changes.
 */
final class EligibilityView {
    private static final Channel[] CHANNELS = Channel.values();
    private final EligibilityPolicy policy;

    EligibilityView(EligibilityPolicy policy) {
        this.policy = policy;
    }

    TreeMap<String, Answer> evaluate(CustomerHistory h, SuppressionList suppressions, Instant t) {
        Set<String> brands = new TreeSet<>(h.namedBrands());
        if (h.hasWildcardFact()) {
            brands.addAll(policy.config().groupBrands());
        }
        TreeMap<String, Answer> rows = new TreeMap<>();
        Profile profile = h.profileAt(t);
        for (String brand : brands) {
            for (Channel ch : CHANNELS) {
                rows.put(CustomerState.rowKey(brand, ch), policy.decide(h, profile, suppressions, brand, ch, t));
            }
        }
        return rows;
    }

    /**
     * Evaluates the view at {@code max(viewAt, t)} (and moves viewAt there) and, when an answer changed,
     * records it as published and returns the record to publish.
     */
    Optional<CustomerEligibility> refresh(String customerId, CustomerState s, SuppressionList suppressions, Instant t) {
        Instant at = s.viewAt != null && s.viewAt.isAfter(t) ? s.viewAt : t;
        TreeMap<String, Answer> rows = evaluate(s.history, suppressions, at);
        s.viewAt = at;
        if (!changed(s.published, rows)) {
            return Optional.empty();
        }
        s.published = rows;
        return Optional.of(AvroOutputs.eligibility(customerId, at, rows));
    }

    private static boolean changed(TreeMap<String, Answer> before, TreeMap<String, Answer> after) {
        if (!before.keySet().equals(after.keySet())) {
            return true;
        }
        for (var e : after.entrySet()) {
            Answer old = before.get(e.getKey());
            if (old.eligible() != e.getValue().eligible() || old.reason() != e.getValue().reason()) {
                return true;
            }
        }
        return false;
    }
}
