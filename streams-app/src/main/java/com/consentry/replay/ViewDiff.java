package com.consentry.replay;

import com.consentry.avro.CartReminder;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.SendDecision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Compares the live outputs with a replay's: a pure function of what was read from the topics. Rows are
 * matched by customer, brand and channel; a row changes when its {@code eligible} or {@code reason}
 * changes (as for the published view, evidence alone is no change). Decisions are matched by requestId
 * and differ in decision or reason; reminders by reminderId and differ in being sent, due time or items.
 */
public final class ViewDiff {
    private ViewDiff() {
    }

    /**
     * @param liveView  the live view, latest value per customer (erased customers absent)
     * @param decisions live and replay decisions by requestId
     */
    public static DiffReport compare(String replay, Map<String, CustomerEligibility> liveView,
                                     Map<String, CustomerEligibility> replayView, Map<String, SendDecision> liveDecisions,
                                     Map<String, SendDecision> replayDecisions, Map<String, CartReminder> liveReminders,
                                     Map<String, CartReminder> replayReminders) {
        TreeSet<String> customers = new TreeSet<>(liveView.keySet());
        customers.addAll(replayView.keySet());
        List<DiffReport.RowChange> changed = new ArrayList<>();
        long rows = 0;
        long changedCustomers = 0;
        for (String c : customers) {
            Map<String, EligibilityRow> a = rows(liveView.get(c));
            Map<String, EligibilityRow> b = rows(replayView.get(c));
            TreeSet<String> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            rows += keys.size();
            int before = changed.size();
            for (String k : keys) {
                EligibilityRow x = a.get(k);
                EligibilityRow y = b.get(k);
                if (x == null || y == null || !Objects.equals(x.getEligible(), y.getEligible())
                        || x.getReason() != y.getReason()) {
                    EligibilityRow any = x != null ? x : y;
                    changed.add(new DiffReport.RowChange(c, any.getBrand(), any.getChannel().toString(),
                            x == null ? null : x.getEligible(), reason(x), y == null ? null : y.getEligible(), reason(y)));
                }
            }
            if (changed.size() > before) {
                changedCustomers++;
            }
        }
        return new DiffReport(replay, customers.size(), changedCustomers, rows, changed.size(), transitions(changed),
                union(liveDecisions, replayDecisions), decisions(liveDecisions, replayDecisions),
                union(liveReminders, replayReminders), reminders(liveReminders, replayReminders), changed);
    }

    private static Map<String, EligibilityRow> rows(CustomerEligibility e) {
        Map<String, EligibilityRow> out = new TreeMap<>();
        if (e != null) {
            e.getRows().forEach(r -> out.put(r.getBrand() + "\u0000" + r.getChannel(), r));
        }
        return out;
    }

    private static String reason(EligibilityRow r) {
        return r == null ? DiffReport.ABSENT : r.getReason().toString();
    }

    private static List<DiffReport.Transition> transitions(List<DiffReport.RowChange> changed) {
        Map<String, List<DiffReport.RowChange>> by = new TreeMap<>();
        changed.forEach(r -> by.computeIfAbsent(r.liveReason() + " -> " + r.replayReason(), k -> new ArrayList<>()).add(r));
        List<DiffReport.Transition> out = new ArrayList<>();
        by.values().forEach(list -> {
            TreeSet<String> who = new TreeSet<>();
            list.forEach(r -> who.add(r.customerId()));
            out.add(new DiffReport.Transition(list.get(0).liveReason(), list.get(0).replayReason(), list.size(), who.size(),
                    who.stream().limit(DiffReport.SAMPLES).toList()));
        });
        // the largest first; equal counts in name order
        out.sort((p, q) -> p.rows() != q.rows() ? Long.compare(q.rows(), p.rows())
                : (p.from() + p.to()).compareTo(q.from() + q.to()));
        return out;
    }

    private static long union(Map<String, ?> a, Map<String, ?> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys.size();
    }

    /** Builds the change of one key from its live and replay values (either may be null). */
    private interface Change<V, C> {
        C of(String key, V live, V replay);
    }

    /** The changes of every key whose value one side lacks or the sides hold differently, in key order. */
    private static <V, C> List<C> changes(Map<String, V> live, Map<String, V> replay, BiPredicate<V, V> same,
                                          Change<V, C> change) {
        TreeSet<String> keys = new TreeSet<>(live.keySet());
        keys.addAll(replay.keySet());
        List<C> out = new ArrayList<>();
        for (String k : keys) {
            V x = live.get(k);
            V y = replay.get(k);
            if (x == null || y == null || !same.test(x, y)) {
                out.add(change.of(k, x, y));
            }
        }
        return out;
    }

    private static List<DiffReport.DecisionChange> decisions(Map<String, SendDecision> live, Map<String, SendDecision> replay) {
        return changes(live, replay, (x, y) -> x.getDecision() == y.getDecision() && x.getReason() == y.getReason(),
                (id, x, y) -> {
                    SendDecision any = x != null ? x : y;
                    return new DiffReport.DecisionChange(id, any.getCustomerId(), any.getKind().toString(),
                            x == null ? DiffReport.ABSENT : x.getDecision().toString(),
                            x == null ? DiffReport.ABSENT : x.getReason().toString(),
                            y == null ? DiffReport.ABSENT : y.getDecision().toString(),
                            y == null ? DiffReport.ABSENT : y.getReason().toString());
                });
    }

    private static List<DiffReport.ReminderChange> reminders(Map<String, CartReminder> live, Map<String, CartReminder> replay) {
        return changes(live, replay, (x, y) -> x.getDueAt().equals(y.getDueAt()) && Objects.equals(x.getItems(), y.getItems()),
                (id, x, y) -> {
                    CartReminder any = x != null ? x : y;
                    return new DiffReport.ReminderChange(id, any.getCustomerId(), any.getCartId(),
                            x == null ? null : x.getDueAt(), y == null ? null : y.getDueAt(),
                            x == null ? null : x.getItems().size(), y == null ? null : y.getItems().size());
                });
    }
}
