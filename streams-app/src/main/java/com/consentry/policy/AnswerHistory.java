package com.consentry.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How one (customer, brand, channel) answer changed over a window, from the facts held: the answer at
 * the window's start, then every instant at which it differs (eligible, reason or evidence) from the one
 * before. Each answer comes from {@link EligibilityPolicy#decide}, the code path of {@code ?at=}.
 *
 * <p>An answer can change only at the instants {@link TimeDrivenChanges#nextAfter} names (a fact's event
 * time, a consent's expiry, a soft opt-in lapsing, a birthday that ends minority, a suppression taking
 * effect), and is constant in between; so the history evaluates the answer at those instants only. The
 * work is bounded by {@link #MAX_EVALUATIONS} evaluations per call: a longer history is cut there and
 * says where to continue.
 */
public final class AnswerHistory {
    /** The most evaluations of the policy one call makes (the first, at the window's start, included). */
    public static final int MAX_EVALUATIONS = 5_000;

    private final EligibilityPolicy policy;
    private final TimeDrivenChanges changes;
    private final int maxEvaluations;

    public AnswerHistory(EligibilityPolicy policy) {
        this(policy, MAX_EVALUATIONS);
    }

    AnswerHistory(EligibilityPolicy policy, int maxEvaluations) {
        this.policy = policy;
        this.changes = new TimeDrivenChanges(policy);
        this.maxEvaluations = maxEvaluations;
    }

    /** An answer and the instant from which it holds. */
    public record Change(Instant at, Answer answer) {
    }

    /**
     * @param changes       the answer at {@code from}, then each change, in time order; each answer holds
     *                      until the next entry (or the end of the window)
     * @param continueFrom  null when the whole window was covered; else the instant where the evaluation
     *                      limit cut it: the entries cover {@code [from, continueFrom)}, and a call from
     *                      there lists the rest
     */
    public record Result(Instant from, Instant to, List<Change> changes, Instant continueFrom) {
        public boolean truncated() {
            return continueFrom != null;
        }
    }

    /** The history of the answer for ({@code brand}, {@code channel}) over {@code [from, to]} ({@code from <= to}). */
    public Result of(CustomerHistory h, SuppressionList suppressions, String brand, Channel channel, Instant from,
                     Instant to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        SuppressionList list = SuppressionList.memo(suppressions);
        List<Change> out = new ArrayList<>();
        Answer current = policy.decide(h, list, brand, channel, from);
        out.add(new Change(from, current));
        int evaluations = 1;
        Instant t = from;
        while (true) {
            Instant next = changes.nextAfter(h, list, t);
            if (next == null || next.isAfter(to)) {
                return new Result(from, to, out, null);
            }
            if (evaluations >= maxEvaluations) {
                return new Result(from, to, out, next);
            }
            Answer a = policy.decide(h, list, brand, channel, next);
            evaluations++;
            if (!a.equals(current)) {
                out.add(new Change(next, a));
                current = a;
            }
            t = next;
        }
    }
}
