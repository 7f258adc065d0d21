package com.consentry.replay;

import com.consentry.config.AppConfig;
import com.consentry.topology.Topics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shadow application of one replay, derived from the live configuration: the same build, policy
 * and input topics, with its own application id ({@code <application.id>-replay-<id>}, hence its own
 * consumer group, changelog and repartition topics), its own state directory
 * ({@code <state.dir>/replay-<id>}) and every topic it writes renamed {@code <topic>.replay-<id>}: the
 * outputs, the dead-letter topic, the suppression list and the address-index hops. It never writes to a
 * live topic.
 */
public record Shadow(AppConfig live, String id) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    /**
     * The idle grace of the shadow: a century, so the wall clock never fires reminders or sweeps. Only
     * the replayed records' event times (stream time) do, which makes the replay deterministic.
     */
    static final Duration WALL_CLOCK_OFF = Duration.ofDays(36500);
    /** Set on every instance after {@code replay promote --id ID}: the service then runs as replay ID's shadow. */
    public static final String PROMOTED_KEY = "consentry.replay.promoted";

    public Shadow {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("replay id '" + id + "' must be 1 to 40 lower-case letters, digits "
                    + "and dashes, starting with a letter or digit");
        }
    }

    public String applicationId() {
        return live.get("consentry.application.id") + "-replay-" + id;
    }

    /** The shadow's name of a topic the live service writes. */
    public String topicName(String liveTopic) {
        return liveTopic + ".replay-" + id;
    }

    /** The shadow's state directory; it also holds the replay's control file. */
    public Path directory() {
        return Path.of(live.get("consentry.state.dir"), "replay-" + id);
    }

    public Path controlFile() {
        return directory().resolve("replay.json");
    }

    /** The shadow's topics: the live inputs, and every other topic renamed. */
    public Topics topics() {
        return config(1).topics();
    }

    /** The topics the shadow writes (and creates): the live service's outputs and internal topics, renamed. */
    public List<String> writtenTopics() {
        return written(topics());
    }

    /**
     * The shadow's configuration: the live one with the identity, state directory and written topics
     * replaced, wall-clock firing off, its HTTP API on {@code consentry.replay.http.port}, and its topics
     * created with {@code partitions} partitions (those of the inputs).
     */
    public AppConfig config(int partitions) {
        Map<String, String> v = identity();
        v.remove("group.instance.id"); // a static member id is the live instance's own
        v.put("consentry.punctuate.idle-grace", WALL_CLOCK_OFF.toString());
        v.put("consentry.http.port", live.get("consentry.replay.http.port"));
        v.put("consentry.topics.create", "true");
        v.put("consentry.topics.partitions", Integer.toString(partitions));
        List<String> defaults = written(Topics.defaults());
        List<String> names = written(live.topics());
        for (int i = 0; i < defaults.size(); i++) {
            v.put("consentry.topic." + defaults.get(i), topicName(names.get(i)));
        }
        return AppConfig.of(v);
    }

    /**
     * The service's configuration once this replay is promoted ({@link #PROMOTED_KEY}): the shadow's
     * application id (its group, offsets and changelogs), state directory and internal topics (the
     * suppression list and address-index hops its state agrees with), the live output topics, and the
     * wall clock as configured.
     */
    public AppConfig promotedConfig() {
        Map<String, String> v = identity();
        List<String> defaults = Topics.defaults().internal();
        List<String> names = live.topics().internal();
        for (int i = 0; i < defaults.size(); i++) {
            v.put("consentry.topic." + defaults.get(i), topicName(names.get(i)));
        }
        return AppConfig.of(v);
    }

    /** {@code config} as the service runs it: {@link #promotedConfig()} of the replay it names, if it names one. */
    public static AppConfig resolve(AppConfig config) {
        String id = config.all().get(PROMOTED_KEY);
        return id == null || id.isBlank() ? config : new Shadow(config, id.trim()).promotedConfig();
    }

    /** The live settings with the shadow's application id and state directory. */
    private Map<String, String> identity() {
        Map<String, String> v = new LinkedHashMap<>(live.all());
        v.remove(PROMOTED_KEY);
        v.put("consentry.application.id", applicationId());
        v.put("consentry.state.dir", directory().toString());
        return v;
    }

    private static List<String> written(Topics t) {
        List<String> out = new ArrayList<>(t.outputs());
        out.addAll(t.internal());
        return out;
    }
}
