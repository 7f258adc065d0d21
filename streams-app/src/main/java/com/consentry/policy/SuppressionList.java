package com.consentry.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Looks up the suppression entries of one address hash. */
@FunctionalInterface
public interface SuppressionList {
    List<Suppression> forAddress(String addressHash);

    SuppressionList EMPTY = hash -> List.of();

    /**
     * The same list, each address looked up at most once: for one evaluation of a customer, which asks
     * for the same one or two addresses once per row. Not for keeping: it does not see later entries.
     */
    static SuppressionList memo(SuppressionList list) {
        Map<String, List<Suppression>> seen = new HashMap<>(4);
        return hash -> seen.computeIfAbsent(hash, list::forAddress);
    }
}
