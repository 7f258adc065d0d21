package com.consentry.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard of {@code docker/grafana/dashboards}, and the metric names its PromQL reads. */
public final class DashboardQueries {
    public static final String DASHBOARD = "docker/grafana/dashboards/consentry.json";
    private static final Pattern METRIC = Pattern.compile("\\b((?:consentry|jvm|kafka|process|system)_[a-zA-Z0-9_]+)");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");

    private DashboardQueries() {
    }

    /** The dashboard file, found from the working directory or one of its parents. */
    public static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(DASHBOARD))) {
                return dir.resolve(DASHBOARD);
            }
        }
        throw new IllegalStateException(DASHBOARD + " not found from " + Path.of("").toAbsolutePath());
    }

    public static JsonNode read() throws IOException {
        return new ObjectMapper().readTree(locate().toFile());
    }

    /** Every PromQL expression of every panel. */
    public static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        return out;
    }

    /** The metric names the expressions read (label matchers removed, so label values do not count). */
    public static Set<String> metricNames(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions(dashboard)) {
            Matcher m = METRIC.matcher(LABEL_MATCHERS.matcher(expr).replaceAll(""));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
