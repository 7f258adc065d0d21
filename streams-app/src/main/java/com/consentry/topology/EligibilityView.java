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

    /**
     * The rows at {@code t}: those in {@code scope} (and rows not evaluated before) from the policy, the
     * others as they were last evaluated ({@code previous}).
     */
    TreeMap<String, Answer> evaluate(CustomerHistory h, SuppressionList suppressions, Instant t,
                                     TreeMap<String, Answer> previous, RowScope scope) {
        Set<String> brands = new TreeSet<>(h.namedBrands());
        if (h.hasWildcardFact()) {
            brands.addAll(policy.config().groupBrands());
        }
        TreeMap<String, Answer> rows = new TreeMap<>();
        Profile profile = null;
        for (String brand : brands) {
            for (Channel ch : CHANNELS) {
                String key = CustomerState.rowKey(brand, ch);
                Answer held = previous.get(key);
                if (held == null || scope.covers(brand, ch)) {
                    profile = profile == null ? h.profileAt(t) : profile;
                    held = policy.decide(h, profile, suppressions, brand, ch, t);
                }
                rows.put(key, held);
            }
        }
        return rows;
    }

    /**
     * Evaluates the view at {@code max(viewAt, t)} (and moves viewAt there): the rows in {@code scope},
     * or every row once a time-driven change is due. Keeps the rows as evaluated and, when an answer
     * (eligible or reason) changed, returns the record to publish.
     */
    Optional<CustomerEligibility> refresh(String customerId, CustomerState s, SuppressionList suppressions, Instant t,
                                          RowScope scope) {
        Instant at = s.viewAt != null && s.viewAt.isAfter(t) ? s.viewAt : t;
        RowScope rows = s.nextChangeAt != null && !s.nextChangeAt.isAfter(at) ? RowScope.ALL : scope;
        TreeMap<String, Answer> evaluated = evaluate(s.history, suppressions, at, s.published, rows);
        s.viewAt = at;
        boolean changed = changed(s.published, evaluated);
        s.published = evaluated;
        return changed ? Optional.of(AvroOutputs.eligibility(customerId, at, evaluated)) : Optional.empty();
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
