package com.consentry.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The published outcome held against {@code simulate}'s: a decision or reminder more than simulate's is
 * a duplicate, one fewer is missing, and one that differs (decision or reason), or a customer whose last
 * published view differs, is a mismatch; an HTTP answer that differs is an HTTP mismatch. The first few of each kind
 * are kept as examples (ids only, never an address).
 */
final class Verdict {
    static final int EXAMPLES = 10;

    long duplicates;
    long missing;
    long mismatches;
    /** Answers of the HTTP APIs that differ from simulate's final view (counted apart from the topics'). */
    long httpMismatches;
    final List<String> examples = new ArrayList<>();
    private final Map<String, Integer> exampleCounts = new java.util.HashMap<>();

    /** Compares decisions, reminders and the final view. */
    static Verdict of(Outcome expected, Outcome actual) {
        Verdict v = new Verdict();
        v.compareLists("requestId", expected.decisions(), actual.decisions());
        v.compareLists("reminder of cart", expected.reminders(), actual.reminders());
        Set<String> customers = new TreeSet<>(expected.view().keySet());
        customers.addAll(actual.view().keySet());
        for (String c : customers) {
            v.compareView("topic customer-eligibility", c, expected.view().getOrDefault(c, Map.of()),
                    actual.view().getOrDefault(c, Map.of()));
        }
        return v;
    }

    private void compareLists(String what, Map<String, List<String>> expected, Map<String, List<String>> actual) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            List<String> e = sorted(expected.getOrDefault(k, List.of()));
            List<String> a = sorted(actual.getOrDefault(k, List.of()));
            if (a.size() > e.size()) {
                duplicates += a.size() - e.size();
                example("duplicate", what + " " + k + ": " + a.size() + " published " + a + ", simulate " + e.size() + " " + e);
            } else if (a.size() < e.size()) {
                missing += e.size() - a.size();
                example("missing", what + " " + k + ": " + a.size() + " published " + a + ", simulate " + e.size() + " " + e);
            }
            for (int i = 0; i < Math.min(a.size(), e.size()); i++) {
                if (!a.get(i).equals(e.get(i))) {
                    mismatches++;
                    example("mismatch", what + " " + k + ": published " + a + ", simulate " + e);
                    break;
                }
            }
        }
    }

    /** Counts a mismatch when {@code actual} is not {@code expected} for {@code customer}. */
    void compareView(String where, String customer, Map<String, String> expected, Map<String, String> actual) {
        compareView(where, customer, expected, actual, false);
    }

    /** As {@link #compareView(String, String, Map, Map)}; {@code http}: an HTTP API's answer. */
    void compareView(String where, String customer, Map<String, String> expected, Map<String, String> actual,
                     boolean http) {
        if (!expected.equals(actual)) {
            if (http) {
                httpMismatches++;
            } else {
                mismatches++;
            }
            example(http ? "http" : "mismatch", where + ": customer " + customer + " " + actual + ", simulate " + expected);
        }
    }

    /** Keeps the first {@value #EXAMPLES} of each kind, so that one kind does not hide the others. */
    private void example(String kind, String s) {
        if (exampleCounts.merge(kind, 1, Integer::sum) <= EXAMPLES) {
            examples.add(s);
        }
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    boolean clean() {
        return duplicates == 0 && missing == 0 && mismatches == 0 && httpMismatches == 0;
    }
}
