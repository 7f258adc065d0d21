package com.consentry.config;

import com.consentry.ingest.EventTimeRules;
import com.consentry.policy.Addresses;
import com.consentry.policy.Channel;
import com.consentry.policy.EligibilityPolicy;
import com.consentry.policy.PolicyConfig;
import com.consentry.policy.Purpose;
import com.consentry.topology.SuppressionBarrier;
import com.consentry.topology.SuppressionWait;
import com.consentry.topology.Topics;
import com.consentry.topology.TopologySettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The service's configuration: built-in defaults, then a file (properties or YAML, nested YAML keys
 * joined with dots), then the environment. An environment variable overrides a key when its name is
 * the key upper-cased with dots and dashes turned into underscores ({@code CONSENTRY_HTTP_PORT} for
 * {@code consentry.http.port}, {@code BOOTSTRAP_SERVERS} for {@code bootstrap.servers}); variables
 * named {@code CONSENTRY_KAFKA_*} add Kafka client settings ({@code CONSENTRY_KAFKA_SECURITY_PROTOCOL}
 * is {@code security.protocol}). Every key that is not {@code consentry.*} or {@code policy.*} is a
 * Kafka client or Streams setting and passes through unchanged.
 */
public final class AppConfig {
    /** Environment variables with this prefix pass Kafka client settings through. */
    public static final String KAFKA_ENV_PREFIX = "CONSENTRY_KAFKA_";
    public static final String DEV_SECRET = "consentry-dev-secret-change-me";
    /** An environment variable named {@code <VARIABLE>_FILE} sets what {@code <VARIABLE>} would, from a file. */
    public static final String FILE_SUFFIX = "_FILE";
    /** The trust store the schema registry client checks an https registry's certificate with. */
    public static final String REGISTRY_TRUSTSTORE = "consentry.schema.registry.ssl.truststore";
    /** The key store (certificate and key) the HTTP API serves https with. */
    public static final String HTTP_KEYSTORE = "consentry.http.tls.keystore";
    /** The trust store an instance checks its peers' (and {@code export} the service's) certificate with. */
    public static final String HTTP_TRUSTSTORE = "consentry.http.tls.truststore";
    private static final Map<String, String> DEFAULTS = defaults();
    /** Reminder timers are event times plus this delay at most: far inside what an instant in millis can carry. */
    private static final Duration MAX_REMINDER_DELAY = Duration.ofDays(3650);

    private final Map<String, String> values;

    private AppConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Keys without a default that the environment may still set (matched by the same naming rule). */
    static final java.util.List<String> OPTIONAL_KEYS = optionalKeys();

    private static java.util.List<String> optionalKeys() {
        java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of(
                "consentry.schema.registry.basic-auth", "consentry.schema.registry.bearer-token",
                "consentry.http.bearer-token", "consentry.http.advertised-host",
                REGISTRY_TRUSTSTORE + ".location", REGISTRY_TRUSTSTORE + ".password", REGISTRY_TRUSTSTORE + ".type",
                HTTP_KEYSTORE + ".location", HTTP_KEYSTORE + ".password", HTTP_KEYSTORE + ".type",
                HTTP_TRUSTSTORE + ".location", HTTP_TRUSTSTORE + ".password", HTTP_TRUSTSTORE + ".type",
                "consentry.instance.id"));
        for (String topic : Topics.defaults().inputs()) {
            keys.add("consentry.topic." + topic);
        }
        Topics t = Topics.defaults();
        for (String topic : java.util.List.of(t.customerEligibility(), t.sendDecisions(), t.cartReminders(),
                t.deadLetter(), t.suppressions(), t.addressIndex(), t.customerRechecks())) {
            keys.add("consentry.topic." + topic);
        }
        return java.util.List.copyOf(keys);
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("consentry.application.id", "consentry");
        d.put("bootstrap.servers", "127.0.0.1:9092");
        d.put("consentry.schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7");
        d.put("consentry.http.host", "127.0.0.1");
        d.put("consentry.http.port", "8080");
        d.put("consentry.replay.http.port", "0");
        d.put("consentry.state.dir", "state");
        d.put("consentry.sweep.interval", "PT1H");
        d.put("consentry.sweep.anchor", "1970-01-01T00:00:00Z");
        d.put("consentry.punctuate.interval", "PT1S");
        d.put("consentry.punctuate.idle-grace", "PT10S");
        d.put("consentry.punctuate.max-lead", "PT5M");
        d.put("consentry.ingest.max-record-bytes", "262144");
        d.put("consentry.reminder.delay", "PT1H");
        d.put("consentry.reminder.channel", "EMAIL");
        d.put("consentry.reminder.purpose", "MARKETING");
        // retention (issue 11): see the README's configuration table for why these values
        // off: the policy's promises hold without a time limit (a repeated requestId gets its first decision,
        // one reminder per cart ever, ?at= at any instant); the retailer sets the periods it has stated
        d.put("consentry.retention.superseded", "off");
        d.put("consentry.retention.orders", "off");
        d.put("consentry.retention.carts", "off");
        d.put("consentry.retention.send-requests", "off");
        d.put(EventTimeRules.MAX_FUTURE_KEY, EventTimeRules.DEFAULTS.maxFuture().toString());
        d.put(EventTimeRules.MAX_EVENT_TIME_KEY, EventTimeRules.DEFAULTS.latest().toString());
        d.put("consentry.suppression.secret", DEV_SECRET);
        // decisions wait until the address-only unsubscribes acknowledged before them are on the list
        d.put("consentry.suppressions.wait", "true");
        d.put("consentry.suppressions.check-interval", "PT0.01S");
        d.put("consentry.suppressions.mark-interval", "PT0.02S");
        d.put("consentry.topics.create", "false");
        d.put("consentry.topics.partitions", "3");
        d.put("consentry.topics.replication", "-1");
        // memory: sized for a 2 GiB container running with -Xmx1g (see the README's "Sizing")
        d.put("consentry.rocksdb.memory", "256MiB");
        d.put("consentry.rocksdb.write-buffer.ratio", "0.5");
        d.put("num.stream.threads", "1");
        // with two or more instances, each partition's state is also kept warm on another one (no effect alone)
        d.put("num.standby.replicas", "1");
        d.put("statestore.cache.max.bytes", "67108864");
        // each poll hands Kafka Streams everything fetched: a partition's lag is only updated when the poll reaches
        // its fetched records, so a poll cut short (1,000 records by default) can show a partition with unread
        // records as caught up, and its task then takes later records of its other topics first
        d.put("main.consumer.max.poll.records", Integer.toString(Integer.MAX_VALUE));
        // the global store's restore at start-up reads its partitions one after the other, and each waits out a
        // fetch the broker holds for want of data (500 ms by default): a restarted instance is ready that much later
        d.put("global.consumer.fetch.max.wait.ms", "50");
        d.put("processing.guarantee", "exactly_once_v2");
        d.put("processing.exception.handler.global.enabled", "true");
        d.put("auto.offset.reset", "earliest");
        return d;
    }

    /** Defaults only (plus the given overrides): for tests and {@code simulate} without a file. */
    public static AppConfig of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        v.putAll(overrides);
        return new AppConfig(v);
    }

    /**
     * Defaults, then {@code file} (may be null), then {@code env}.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or parsed
     */
    public static AppConfig load(Path file, Map<String, String> environment) {
        Map<String, String> env = withFileValues(environment);
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        if (file != null) {
            v.putAll(readFile(file));
        }
        java.util.Set<String> candidates = new java.util.LinkedHashSet<>(v.keySet());
        candidates.addAll(OPTIONAL_KEYS);
        for (String key : candidates) {
            String envName = envName(key);
            if (env.containsKey(envName)) {
                v.put(key, env.get(envName));
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith(KAFKA_ENV_PREFIX)) {
                v.put(kafkaKey(name), value);
            } else if (name.startsWith("CONSENTRY_")) {
                String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                v.putIfAbsent(key, value);
            }
        });
        return new AppConfig(v);
    }

    /**
     * The environment with every {@code <VARIABLE>_FILE} of a variable the naming rules read (a
     * {@code CONSENTRY_*} one, or the name of a key with a default) replaced by {@code <VARIABLE>} set to
     * the content of the file it names, without a final line break: the {@code *_FILE} convention of
     * container secrets ({@code CONSENTRY_KAFKA_SASL_JAAS_CONFIG_FILE=/run/secrets/jaas}).
     *
     * @throws IllegalArgumentException naming the variable (never the content) when the file cannot be read,
     *                                  or when both the variable and its {@code _FILE} are set
     */
    static Map<String, String> withFileValues(Map<String, String> env) {
        java.util.Set<String> named = new java.util.HashSet<>();
        DEFAULTS.keySet().forEach(k -> named.add(envName(k)));
        Map<String, String> out = new LinkedHashMap<>(env);
        env.forEach((name, path) -> {
            if (!name.endsWith(FILE_SUFFIX) || name.length() == FILE_SUFFIX.length()) {
                return;
            }
            String variable = name.substring(0, name.length() - FILE_SUFFIX.length());
            if (!variable.startsWith("CONSENTRY_") && !named.contains(variable)) {
                return;
            }
            if (env.containsKey(variable)) {
                throw new IllegalArgumentException("both " + variable + " and " + name + " are set: set one");
            }
            out.remove(name);
            out.put(variable, readSecret(name, path));
        });
        return out;
    }

    private static String readSecret(String variable, String path) {
        try {
            String text = Files.readString(Path.of(path.trim()), java.nio.charset.StandardCharsets.UTF_8);
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(variable + "=" + path + ": the file cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The environment variable that overrides {@code key}: {@code consentry.http.port} → {@code CONSENTRY_HTTP_PORT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The Kafka client setting a {@code CONSENTRY_KAFKA_*} variable passes: {@code ..._SECURITY_PROTOCOL} → {@code security.protocol}. */
    public static String kafkaKey(String envName) {
        return envName.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * The settings of a config file (properties or YAML, nested keys joined with dots), as the service
     * reads them; no defaults, no environment.
     */
    public static Map<String, String> readFile(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("config file " + file + " does not exist or is not readable");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            Map<String, String> out = new LinkedHashMap<>();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    if (!root.isObject()) {
                        throw new IllegalArgumentException("config file " + file + ": the top level must be a mapping");
                    }
                    flatten("", root, out);
                }
            } else {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
                p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("config file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            node.forEach(n -> sb.append(sb.length() == 0 ? "" : ",").append(n.asText()));
            out.put(prefix, sb.toString());
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    public Map<String, String> all() {
        return values;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing setting " + key);
        }
        return v;
    }

    public AppConfig with(String key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key, value);
        return new AppConfig(v);
    }

    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + "=" + get(key) + " is not a whole number");
        }
    }

    public Duration getDuration(String key) {
        try {
            return Duration.parse(get(key).trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("setting " + key + "=" + get(key)
                    + " is not an ISO-8601 duration (e.g. PT1H, PT30S)");
        }
    }

    public Instant getInstant(String key) {
        try {
            return OffsetDateTime.parse(get(key).trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("setting " + key + "=" + get(key)
                    + " is not an ISO-8601 instant (e.g. 2100-01-01T00:00:00Z)");
        }
    }

    /** A size in bytes: a whole number, optionally with KiB, MiB or GiB. */
    public long getBytes(String key) {
        String v = get(key).trim();
        long unit = 1;
        for (String[] u : new String[][] {{"KiB", "1024"}, {"MiB", "1048576"}, {"GiB", "1073741824"}}) {
            if (v.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length()).trim();
            }
        }
        try {
            long n = Long.parseLong(v) * unit;
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + "=" + get(key)
                    + " is not a positive size in bytes (e.g. 268435456, 256MiB, 1GiB)");
        }
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key).trim());
    }

    private <E extends Enum<E>> E getEnum(String key, Class<E> type) {
        try {
            return Enum.valueOf(type, get(key).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + key + "=" + get(key) + " is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** Kafka client and Streams settings: every key that is not the service's own. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (!k.startsWith("consentry.") && !k.startsWith("policy.")) {
                p.put(k, v);
            }
        });
        return p;
    }

    public Topics topics() {
        return Topics.from(values);
    }

    public PolicyConfig policy() {
        return PolicyConfig.fromProperties(values);
    }

    /**
     * @param sweepAnchor when sweeps are counted from: the epoch for the service (sweeps on the hour),
     *                    the first line's time for {@code simulate}
     */
    public TopologySettings topologySettings(Instant sweepAnchor) {
        Duration sweep = getDuration("consentry.sweep.interval");
        if (sweep.isZero() || sweep.isNegative()) {
            throw new IllegalArgumentException("setting consentry.sweep.interval must be positive");
        }
        Duration delay = getDuration("consentry.reminder.delay");
        if (delay.isZero() || delay.isNegative() || delay.compareTo(MAX_REMINDER_DELAY) > 0) {
            throw new IllegalArgumentException("setting consentry.reminder.delay=" + delay
                    + " must be positive and at most " + MAX_REMINDER_DELAY);
        }
        return new TopologySettings(new EligibilityPolicy(policy()), new Addresses(get("consentry.suppression.secret")),
                sweep, sweepAnchor, getDuration("consentry.punctuate.interval"), getDuration("consentry.punctuate.idle-grace"),
                delay, getEnum("consentry.reminder.channel", Channel.class),
                getEnum("consentry.reminder.purpose", Purpose.class), eventTimeRules(), maxLead(), maxRecordBytes(),
                new SuppressionWait(SuppressionBarrier.NONE, positive("consentry.suppressions.check-interval"),
                        positive("consentry.suppressions.mark-interval")), com.consentry.topology.InputBound.NONE,
                com.consentry.topology.InputBacklog.NONE,
                retention());
    }

    /**
     * The retention limits ({@code consentry.retention.*}): each {@code off} or a positive ISO-8601 period or
     * duration. (A cart whose reminder is still pending is never purged, whatever the cart limit.)
     */
    public com.consentry.policy.RetentionLimits retention() {
        return new com.consentry.policy.RetentionLimits(limit("consentry.retention.superseded"),
                limit("consentry.retention.orders"), limit("consentry.retention.carts"),
                limit("consentry.retention.send-requests"));
    }

    private com.consentry.policy.RetentionLimits.Limit limit(String key) {
        return com.consentry.policy.RetentionLimits.Limit.parse(key, get(key));
    }

    private Duration positive(String key) {
        Duration d = getDuration(key);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("setting " + key + "=" + d + " must be positive");
        }
        return d;
    }

    private Duration maxLead() {
        Duration lead = getDuration("consentry.punctuate.max-lead");
        if (lead.isNegative()) {
            throw new IllegalArgumentException("setting consentry.punctuate.max-lead=" + lead + " must not be negative");
        }
        return lead;
    }

    private int maxRecordBytes() {
        int max = getInt("consentry.ingest.max-record-bytes");
        if (max <= 0) {
            throw new IllegalArgumentException("setting consentry.ingest.max-record-bytes=" + max + " must be positive");
        }
        return max;
    }

    /** Which event times an input record may carry ({@code consentry.ingest.*}); the others are dead-lettered. */
    public EventTimeRules eventTimeRules() {
        return new EventTimeRules(getDuration(EventTimeRules.MAX_FUTURE_KEY), getInstant(EventTimeRules.MAX_EVENT_TIME_KEY));
    }
}
