package com.consentry.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** A scrape in the Prometheus text format, read back for assertions: series (name and labels) to value. */
public final class PrometheusText {
    private final Map<String, Double> series = new LinkedHashMap<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            p.series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return p;
    }

    /** The metric names with at least one series. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        series.keySet().forEach(s -> names.add(name(s)));
        return names;
    }

    /** The sum of the values of every series of {@code name} whose labels contain all of {@code labels}. */
    public double sum(String name, String... labels) {
        Predicate<String> match = s -> {
            for (String l : labels) {
                if (!s.contains(l)) {
                    return false;
                }
            }
            return true;
        };
        return series.entrySet().stream().filter(e -> name(e.getKey()).equals(name) && match.test(e.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static String name(String series) {
        int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }
}
