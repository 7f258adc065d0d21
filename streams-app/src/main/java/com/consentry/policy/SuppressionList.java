package com.consentry.policy;

import java.util.List;

/** Looks up the suppression entries of one address hash. */
@FunctionalInterface
public interface SuppressionList {
    List<Suppression> forAddress(String addressHash);

    SuppressionList EMPTY = hash -> List.of();
}
