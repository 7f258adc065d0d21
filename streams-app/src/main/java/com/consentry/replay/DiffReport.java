package com.consentry.replay;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a replay would change: the view (customers and rows compared and changed, the transitions old
 * reason to new reason with counts and sample customers, every changed row), the send decisions whose
 * outcome differs for the same requestId, and the reminders that differ. Written as JSON by
 * {@code replay diff --out}.
 */
public record DiffReport(String replay, long customersCompared, long customersChanged, long rowsCompared,
                         long rowsChanged, List<Transition> transitions, long decisionsCompared,
                         List<DecisionChange> decisions, long remindersCompared, List<ReminderChange> reminders,
                         List<RowChange> changedRows) {
    /** The reason of a row, decision or reminder that one side does not have. */
    public static final String ABSENT = "ABSENT";
    /** Samples printed (and kept in the JSON) per transition. */
    static final int SAMPLES = 5;
    /** Decisions and reminders printed on the terminal (the JSON file has them all). */
    private static final int PRINTED = 20;

    /** One row (customer, brand, channel) whose answer differs; ABSENT reason and null eligible on the side without it. */
    public record RowChange(String customerId, String brand, String channel, Boolean liveEligible, String liveReason,
                            Boolean replayEligible, String replayReason) {
    }

    public record Transition(String from, String to, long rows, long customers, List<String> sampleCustomers) {
    }

    /** A decision that differs for one requestId; ABSENT on the side that did not decide it. */
    public record DecisionChange(String requestId, String customerId, String kind, String liveDecision,
                                 String liveReason, String replayDecision, String replayReason) {
    }

    /** A cart reminder that one side sent and the other did not, or sent with a different due time or items. */
    public record ReminderChange(String reminderId, String customerId, String cartId, Instant liveDueAt,
                                 Instant replayDueAt, Integer liveItems, Integer replayItems) {
    }

    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "replay %s against the live view%n", replay);
        out.printf(Locale.ROOT, "customers: %,d compared, %,d changed%n", customersCompared, customersChanged);
        out.printf(Locale.ROOT, "rows:      %,d compared, %,d changed%n", rowsCompared, rowsChanged);
        if (!transitions.isEmpty()) {
            int w = Math.max(10, transitions.stream().mapToInt(t -> t.from().length() + t.to().length() + 4).max()
                    .orElse(0));
            out.printf(Locale.ROOT, "%n%-" + w + "s %8s %10s  %s%n", "transition", "rows", "customers", "sample customers");
            for (Transition t : transitions) {
                out.printf(Locale.ROOT, "%-" + w + "s %8d %10d  %s%n", t.from() + " -> " + t.to(), t.rows(), t.customers(),
                        String.join(", ", t.sampleCustomers()));
            }
        }
        out.printf(Locale.ROOT, "%nsend decisions: %,d compared, %,d differ%n", decisionsCompared, decisions.size());
        decisions.stream().limit(PRINTED).forEach(d -> out.printf(Locale.ROOT, "  %s (%s, %s): %s %s -> %s %s%n",
                d.requestId(), d.customerId(), d.kind(), d.liveDecision(), d.liveReason(), d.replayDecision(),
                d.replayReason()));
        more(out, decisions.size());
        out.printf(Locale.ROOT, "cart reminders: %,d compared, %,d differ%n", remindersCompared, reminders.size());
        reminders.stream().limit(PRINTED).forEach(r -> out.printf(Locale.ROOT, "  %s (%s, cart %s): live %s -> replay %s%n",
                r.reminderId(), r.customerId(), r.cartId(), sent(r.liveDueAt(), r.liveItems()),
                sent(r.replayDueAt(), r.replayItems())));
        more(out, reminders.size());
    }

    private static String sent(Instant dueAt, Integer items) {
        return dueAt == null ? "not sent" : "due " + dueAt + " with " + items + " item(s)";
    }

    private static void more(PrintStream out, int n) {
        if (n > PRINTED) {
            out.printf(Locale.ROOT, "  ... and %,d more (all of them in the --out file)%n", n - PRINTED);
        }
    }
}
