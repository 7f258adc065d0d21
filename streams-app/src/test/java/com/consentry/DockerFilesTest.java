package com.consentry;

import com.consentry.api.HttpSettings;
import com.consentry.config.AppConfig;
import com.consentry.policy.PolicyConfig;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The docker/ deployment, checked by reading: there is no Docker engine on the machines this project is
 * developed on, so compose.yaml, the Dockerfile and consentry.yaml are parsed and cross-checked against each
 * other, against the repository (every mounted or copied file exists) and against {@link AppConfig} (every
 * configuration key is one the service understands).
 */
class DockerFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root;
    private static Path docker;
    private static JsonNode compose;
    private static JsonNode services;
    private static Dockerfile dockerfile;

    @BeforeAll
    static void read() throws IOException {
        root = repositoryRoot();
        docker = root.resolve("docker");
        compose = YAML.readTree(docker.resolve("compose.yaml").toFile());
        services = compose.path("services");
        dockerfile = Dockerfile.parse(Files.readString(docker.resolve("Dockerfile")));
    }

    // ---------------------------------------------------------------------------------------------- compose

    @Test
    void composeDefinesTheWholeStack() {
        assertThat(fieldNames(services)).contains("kafka", "schema-registry", "consentry", "prometheus", "grafana");
        assertThat(fieldNames(compose.path("volumes"))).contains("kafka-data", "consentry-state");
        for (String name : fieldNames(services)) {
            JsonNode s = services.get(name);
            assertThat(s.has("image") || s.has("build")).as("service %s has an image or a build", name).isTrue();
            for (String dependency : dependencies(s)) {
                assertThat(services.has(dependency)).as("%s depends on an existing service %s", name, dependency).isTrue();
            }
        }
        assertThat(text(services.path("prometheus"), "image")).startsWith("prom/prometheus:");
        assertThat(text(services.path("grafana"), "image")).startsWith("grafana/grafana:");
        assertThat(text(services.path("schema-registry"), "image")).startsWith("apicurio/apicurio-registry");
    }

    @Test
    void consentryIsBuiltFromTheDockerfileWithTheRepositoryAsContext() {
        JsonNode consentry = services.path("consentry");
        JsonNode build = consentry.path("build");
        assertThat(text(build, "context")).isEqualTo("..");
        assertThat(text(build, "dockerfile")).isEqualTo("docker/Dockerfile");
        Path context = docker.resolve(text(build, "context")).normalize();
        assertThat(context).isEqualTo(root.normalize());
        assertThat(context.resolve(text(build, "dockerfile"))).isRegularFile();

        assertThat(publishedPorts(consentry)).containsEntry(8080, 8080);
        assertThat(dependencies(consentry)).contains("kafka");
        assertThat(consentry.path("depends_on").path("kafka").path("condition").asText())
                .as("consentry waits for a healthy broker").isEqualTo("service_healthy");
        JsonNode kafkaHealth = services.path("kafka").path("healthcheck").path("test");
        assertThat(kafkaHealth.isArray() ? kafkaHealth.size() : kafkaHealth.asText().length())
                .as("kafka has a health check").isPositive();
    }

    @Test
    void everyMountedFileExistsAndEveryNamedVolumeIsDeclared() {
        Set<String> declared = fieldNames(compose.path("volumes"));
        List<String> binds = new ArrayList<>();
        for (String name : fieldNames(services)) {
            for (Mount m : mounts(services.get(name))) {
                if (m.bind()) {
                    Path source = docker.resolve(m.source()).normalize();
                    assertThat(source).as("%s mounts %s", name, m.source()).exists();
                    assertThat(source.startsWith(root)).as("%s mounts %s from inside the repository", name, m.source()).isTrue();
                    binds.add(name + ":" + m.source() + "->" + m.target());
                } else {
                    assertThat(declared).as("%s uses named volume %s", name, m.source()).contains(m.source());
                }
            }
        }
        assertThat(binds).contains(
                "consentry:./consentry.yaml->/etc/consentry/consentry.yaml",
                "prometheus:./prometheus/prometheus.yml->/etc/prometheus/prometheus.yml",
                "grafana:./grafana/provisioning->/etc/grafana/provisioning",
                "grafana:./grafana/dashboards->/var/lib/grafana/dashboards");
        assertThat(docker.resolve("grafana/provisioning/datasources")).isDirectory();
        assertThat(docker.resolve("grafana/provisioning/dashboards")).isDirectory();
        assertThat(listFiles(docker.resolve("grafana/dashboards"), ".json")).isNotEmpty();
        assertThat(mountTarget("kafka", "kafka-data")).isNotNull();
        assertThat(mountTarget("consentry", "consentry-state")).isNotNull();

        // a container path named in an environment variable lies in a mount whose host file exists
        for (String name : fieldNames(services)) {
            for (Map.Entry<String, String> e : environment(services.get(name)).entrySet()) {
                for (Mount m : mounts(services.get(name))) {
                    if (m.bind() && e.getValue().startsWith(m.target() + "/")) {
                        Path host = docker.resolve(m.source()).resolve(e.getValue().substring(m.target().length() + 1));
                        assertThat(host).as("%s %s=%s", name, e.getKey(), e.getValue()).exists();
                    }
                }
            }
        }
    }

    @Test
    void kafkaIsTheOfficialImageInKraftModeWithOneReplica() {
        JsonNode kafka = services.path("kafka");
        String image = text(kafka, "image");
        assertThat(image).startsWith("apache/kafka:");
        assertThat(versionAtLeast(image.substring("apache/kafka:".length()), 4, 1))
                .as("apache/kafka tag %s is 4.1.0 or newer", image).isTrue();

        Map<String, String> env = environment(kafka);
        assertThat(env.keySet()).noneMatch(k -> k.contains("ZOOKEEPER"));
        assertThat(env.get("KAFKA_PROCESS_ROLES").replace(" ", "").split(",")).containsExactlyInAnyOrder("broker", "controller");
        String nodeId = env.get("KAFKA_NODE_ID");
        assertThat(nodeId).isNotBlank();
        String controllerName = env.get("KAFKA_CONTROLLER_LISTENER_NAMES");
        Map<String, String> listeners = listeners(env.get("KAFKA_LISTENERS"));
        assertThat(listeners).containsKey(controllerName);
        String controllerPort = listeners.get(controllerName).replaceAll(".*:", "");
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(nodeId + "@kafka:" + controllerPort);
        Map<String, String> protocols = listeners(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").replace(":", "://"));
        assertThat(protocols.keySet()).containsAll(listeners.keySet());
        assertThat(listeners).containsKey(env.get("KAFKA_INTER_BROKER_LISTENER_NAME"));

        for (String rf : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            assertThat(env.get(rf)).as(rf).isEqualTo("1");
        }
        assertThat(env.get("KAFKA_LOG_DIRS")).isEqualTo(mountTarget("kafka", "kafka-data"));

        // containers reach kafka:9092; the host reaches the published port advertised as localhost
        Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
        assertThat(advertised.values()).contains("kafka:9092");
        assertThat(advertised).doesNotContainKey(controllerName);
        String hostListener = advertised.values().stream().filter(a -> a.startsWith("localhost:")).findFirst().orElseThrow();
        int hostPort = Integer.parseInt(hostListener.substring("localhost:".length()));
        assertThat(publishedPorts(kafka)).containsEntry(hostPort, hostPort);
        for (Map.Entry<String, String> a : advertised.entrySet()) {
            assertThat(listeners.get(a.getKey())).as("listener %s is bound", a.getKey())
                    .endsWith(":" + a.getValue().replaceAll(".*:", ""));
        }
    }

    @Test
    void theRegistryIsConfiguredBackwardBeforeConsentryStarts() {
        JsonNode consentry = services.path("consentry");
        String init = dependencies(consentry).stream()
                .filter(d -> "service_completed_successfully".equals(consentry.path("depends_on").path(d).path("condition").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("consentry waits for no one-shot init service"));
        StringBuilder script = new StringBuilder();
        for (String field : List.of("entrypoint", "command")) {
            JsonNode n = services.path(init).path(field);
            if (n.isArray()) {
                n.forEach(part -> script.append(part.asText()).append(' '));
            } else {
                script.append(n.asText()).append(' ');
            }
        }
        assertThat(script.toString()).contains("PUT").contains("{\"compatibility\":\"BACKWARD\"}")
                .contains("http://schema-registry:8080/apis/ccompat/v7/config");
        assertThat(publishedPorts(services.path("schema-registry"))).containsValue(8080);
    }

    // ------------------------------------------------------------------------------------ consentry.yaml

    @Test
    void everyKeyOfConsentryYamlIsOneTheServiceUnderstands() throws IOException {
        Map<String, String> file = AppConfig.readFile(docker.resolve("consentry.yaml"));
        assertThat(file).isNotEmpty();
        List<String> unknown = file.keySet().stream().filter(k -> !understood(k)).toList();
        assertThat(unknown).as("keys AppConfig does not understand").isEmpty();
        assertThatCode(() -> PolicyConfig.fromProperties(file)).doesNotThrowAnyException();
        assertThat(file).as("the secret comes from the environment, never from the file")
                .doesNotContainKey("consentry.suppression.secret");
    }

    @Test
    void consentryYamlIsWhatTheComposeDeploymentNeeds() {
        JsonNode consentry = services.path("consentry");
        Map<String, String> env = environment(consentry);
        AppConfig config = AppConfig.load(docker.resolve("consentry.yaml"), env);

        // values parse as the service parses them
        assertThatCode(() -> config.topologySettings(Instant.EPOCH)).doesNotThrowAnyException();
        HttpSettings http = HttpSettings.from(config.with("consentry.http.advertised-host", "consentry"));
        assertThat(http.host()).isEqualTo("0.0.0.0");
        assertThat(publishedPorts(consentry)).containsValue(http.port());
        assertThat(dockerfile.all("EXPOSE")).anyMatch(e -> e.split("\\s+")[0].replace("/tcp", "").equals(String.valueOf(http.port())));

        assertThat(config.getBoolean("consentry.topics.create")).isTrue();
        assertThat(config.getInt("consentry.topics.replication")).isEqualTo(1);
        assertThat(config.getInt("consentry.topics.partitions")).isPositive();
        assertThat(config.get("consentry.state.dir")).isEqualTo(mountTarget("consentry", "consentry-state"));
        assertThat(dockerfile.runtime().stream().filter(i -> i.keyword().equals("VOLUME")).map(Instruction::args))
                .anyMatch(v -> v.contains("\"" + config.get("consentry.state.dir") + "\"") || v.equals(config.get("consentry.state.dir")));

        // bootstrap: the broker's in-network advertised listener
        String bootstrap = config.get("bootstrap.servers");
        assertThat(listeners(environment(services.path("kafka")).get("KAFKA_ADVERTISED_LISTENERS")).values()).contains(bootstrap);

        // the registry: a compose service, its container port, the Confluent-compatible API
        URI registry = URI.create(config.get("consentry.schema.registry.url"));
        assertThat(services.has(registry.getHost())).as("registry host %s is a compose service", registry.getHost()).isTrue();
        assertThat(publishedPorts(services.path(registry.getHost()))).containsValue(registry.getPort());
        assertThat(registry.getPath()).isEqualTo("/apis/ccompat/v7");

        // the secret: from the host's environment, with a placeholder default the service warns about
        assertThat(consentry.path("environment").path("CONSENTRY_SUPPRESSION_SECRET").asText())
                .startsWith("${CONSENTRY_SUPPRESSION_SECRET");
        assertThat(config.get("consentry.suppression.secret")).isEqualTo(AppConfig.DEV_SECRET);
        Map<String, String> withSecret = new LinkedHashMap<>(env);
        withSecret.put("CONSENTRY_SUPPRESSION_SECRET", "from-the-host");
        assertThat(AppConfig.load(docker.resolve("consentry.yaml"), withSecret).get("consentry.suppression.secret"))
                .isEqualTo("from-the-host");

        // every CONSENTRY_* variable of the service names a key the service understands (no typos)
        for (String name : env.keySet()) {
            if (name.startsWith(AppConfig.KAFKA_ENV_PREFIX)) {
                assertThat(understood(AppConfig.kafkaKey(name))).as(name).isTrue();
            } else if (name.startsWith("CONSENTRY_")) {
                assertThat(knownConsentryKeys().stream().map(AppConfig::envName).anyMatch(name::equals)).as(name).isTrue();
            }
        }
    }

    // --------------------------------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileBuildsWithMavenAndRunsTheMountedConfigAsNonRoot() {
        assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(dockerfile.stages().get(0)).matches("maven:[^ ]*eclipse-temurin-17.* (?i:as) \\S+");
        assertThat(dockerfile.stages().get(dockerfile.stages().size() - 1)).isEqualTo("eclipse-temurin:17-jre");
        assertThat(dockerfile.all("RUN")).anyMatch(r -> r.contains("mvn -B -DskipTests package -pl streams-app -am"));

        // every file the build copies from the context (the repository root) exists
        for (Instruction copy : dockerfile.instructions()) {
            if (copy.keyword().equals("COPY") && !copy.args().startsWith("--from")) {
                List<String> parts = List.of(copy.args().split("\\s+"));
                for (String source : parts.subList(0, parts.size() - 1)) {
                    assertThat(root.resolve(source)).as("COPY %s", source).exists();
                }
            }
        }

        List<Instruction> runtime = dockerfile.runtime();
        String user = runtime.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).map(Instruction::args)
                .orElseThrow(() -> new AssertionError("the runtime stage sets no USER"));
        assertThat(user.split(":")[0]).isNotIn("root", "0");

        String jar = runtime.stream().filter(i -> i.keyword().equals("COPY") && i.args().startsWith("--from")
                        && i.args().contains("streams-app.jar"))
                .map(i -> i.args().substring(i.args().lastIndexOf(' ') + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("the runtime stage copies no streams-app.jar"));

        List<String> entrypoint = jsonArray(dockerfile.last("ENTRYPOINT"));
        assertThat(entrypoint).startsWith("java", "-jar", jar);
        int run = entrypoint.indexOf("run");
        assertThat(run).isPositive();
        assertThat(entrypoint.subList(run, entrypoint.size())).hasSize(3).startsWith("run", "--config");
        String configPath = entrypoint.get(entrypoint.size() - 1);
        assertThat(bindTarget("consentry", "./consentry.yaml")).isEqualTo(configPath);
        assertThat(dockerfile.all("CMD")).isEmpty();

        String healthcheck = dockerfile.last("HEALTHCHECK");
        assertThat(healthcheck).contains("/health/live").contains("CMD");
        assertThat(runtime.stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::args))
                .as("the runtime stage installs the client its health check calls")
                .anyMatch(r -> r.contains("install") && r.contains(healthcheck.contains("curl ") ? "curl" : "wget"));
    }

    @Test
    void prometheusAndGrafanaPointAtComposeServices() throws IOException {
        JsonNode prometheus = YAML.readTree(docker.resolve("prometheus/prometheus.yml").toFile());
        List<String> targets = new ArrayList<>();
        prometheus.path("scrape_configs").forEach(job -> job.path("static_configs")
                .forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText()))));
        assertThat(targets).isNotEmpty();
        for (String target : targets) {
            String host = target.substring(0, target.lastIndexOf(':'));
            int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
            assertThat(services.has(host)).as("scrape target %s is a compose service", target).isTrue();
            if (host.equals("consentry")) {
                assertThat(AppConfig.load(docker.resolve("consentry.yaml"), Map.of()).getInt("consentry.http.port")).isEqualTo(port);
            }
        }

        for (Path ds : listFiles(docker.resolve("grafana/provisioning/datasources"), ".y")) {
            YAML.readTree(ds.toFile()).path("datasources").forEach(d -> {
                URI url = URI.create(d.path("url").asText());
                assertThat(services.has(url.getHost())).as("data source %s is a compose service", url).isTrue();
                assertThat(publishedPorts(services.path(url.getHost()))).containsValue(url.getPort());
            });
        }
        String dashboards = bindTarget("grafana", "./grafana/dashboards");
        List<String> paths = new ArrayList<>();
        for (Path p : listFiles(docker.resolve("grafana/provisioning/dashboards"), ".y")) {
            YAML.readTree(p.toFile()).path("providers").forEach(pr -> paths.add(pr.path("options").path("path").asText()));
        }
        assertThat(paths).isNotEmpty().allMatch(p -> p.equals(dashboards) || p.startsWith(dashboards + "/"));
        for (Path json : listFiles(docker.resolve("grafana/dashboards"), ".json")) {
            assertThat(JSON.readTree(json.toFile()).path("panels").size()).as("%s has panels", json).isPositive();
        }
    }

    @Test
    void readmeSaysHowToStartItAndThatItWasNotRun() throws IOException {
        String readme = Files.readString(docker.resolve("README.md")).replaceAll("\\s+", " ");
        assertThat(readme).contains("docker compose -f docker/compose.yaml up --build")
                .containsIgnoringCase("there is no Docker engine on the machines this project is developed on: these"
                        + " files are checked by reading and by a unit test, not by running them")
                .contains("CONSENTRY_SUPPRESSION_SECRET")
                .contains("/apis/ccompat/v7");
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** consentry.* keys AppConfig knows: its defaults, the optional keys, and the topic name overrides. */
    private static Set<String> knownConsentryKeys() {
        Set<String> keys = new TreeSet<>();
        AppConfig.of(Map.of()).all().keySet().stream().filter(k -> k.startsWith("consentry.")).forEach(keys::add);
        keys.addAll(List.of("consentry.schema.registry.basic-auth", "consentry.schema.registry.bearer-token",
                "consentry.http.bearer-token", "consentry.http.advertised-host"));
        Topics t = Topics.defaults();
        List.of(t.inputs(), t.outputs(), t.internal()).forEach(l -> l.forEach(n -> keys.add("consentry.topic." + n)));
        return keys;
    }

    private static final Set<String> KAFKA_KEYS = kafkaKeys();

    private static Set<String> kafkaKeys() {
        Set<String> keys = new TreeSet<>(StreamsConfig.configDef().names());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }

    /** Whether AppConfig and the Kafka clients understand {@code key}. */
    private static boolean understood(String key) {
        if (key.startsWith("consentry.")) {
            return knownConsentryKeys().contains(key);
        }
        if (key.startsWith("policy.")) {
            try {
                PolicyConfig.fromProperties(Map.of(key, "1"));
                return true;
            } catch (IllegalArgumentException e) {
                return !String.valueOf(e.getMessage()).contains("unknown policy key");
            }
        }
        for (String prefix : List.of("main.consumer.", "restore.consumer.", "global.consumer.", "consumer.",
                "producer.", "admin.", "topic.")) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return KAFKA_KEYS.contains(key);
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker/compose.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("docker/compose.yaml not found from " + Path.of("").toAbsolutePath());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String text(JsonNode node, String field) {
        assertThat(node.has(field)).as("has %s", field).isTrue();
        return node.get(field).asText();
    }

    private static List<String> dependencies(JsonNode service) {
        JsonNode d = service.path("depends_on");
        List<String> out = new ArrayList<>();
        if (d.isArray()) {
            d.forEach(n -> out.add(n.asText()));
        } else {
            out.addAll(fieldNames(d));
        }
        return out;
    }

    /** The service's environment with compose's interpolation applied as if the host set none of the variables. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isArray()) {
            e.forEach(n -> {
                String[] kv = n.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : "");
            });
        } else {
            e.fields().forEachRemaining(f -> env.put(f.getKey(), interpolate(f.getValue().asText())));
        }
        return env;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?]([^}]*))?}");

    private static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = m.group().equals("$$") ? "$" : (m.group(2) == null ? "" : m.group(2));
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Published ports: host port to container port. */
    private static Map<Integer, Integer> publishedPorts(JsonNode service) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        service.path("ports").forEach(p -> {
            if (p.isObject()) {
                out.put(p.path("published").asInt(), p.path("target").asInt());
            } else {
                String[] parts = p.asText().replaceAll("/(tcp|udp)$", "").split(":");
                int container = Integer.parseInt(parts[parts.length - 1]);
                int host = parts.length >= 2 ? Integer.parseInt(parts[parts.length - 2]) : container;
                out.put(host, container);
            }
        });
        return out;
    }

    private record Mount(String source, String target, boolean bind) {
    }

    private static List<Mount> mounts(JsonNode service) {
        List<Mount> out = new ArrayList<>();
        service.path("volumes").forEach(v -> {
            if (v.isObject()) {
                String source = v.path("source").asText();
                out.add(new Mount(source, v.path("target").asText(), "bind".equals(v.path("type").asText())));
            } else {
                String[] parts = v.asText().split(":");
                assertThat(parts.length).as("volume %s names a source and a target", v.asText()).isGreaterThanOrEqualTo(2);
                boolean bind = parts[0].startsWith(".") || parts[0].startsWith("/") || parts[0].startsWith("~");
                out.add(new Mount(parts[0], parts[1], bind));
            }
        });
        return out;
    }

    private static String mountTarget(String service, String namedVolume) {
        return mounts(services.path(service)).stream().filter(m -> !m.bind() && m.source().equals(namedVolume))
                .map(Mount::target).findFirst().orElse(null);
    }

    private static String bindTarget(String service, String source) {
        return mounts(services.path(service)).stream().filter(m -> m.bind() && m.source().equals(source))
                .map(Mount::target).findFirst().orElseThrow(() -> new AssertionError(service + " does not mount " + source));
    }

    /** {@code NAME://host:port,...} (or {@code NAME:PROTOCOL} turned into that shape) as name to host:port. */
    private static Map<String, String> listeners(String spec) {
        assertThat(spec).isNotBlank();
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : spec.split(",")) {
            String[] kv = l.trim().split("://", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return out;
    }

    private static boolean versionAtLeast(String tag, int major, int minor) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(tag);
        if (!m.find()) {
            return false;
        }
        int ma = Integer.parseInt(m.group(1));
        return ma > major || (ma == major && Integer.parseInt(m.group(2)) >= minor);
    }

    private static List<Path> listFiles(Path dir, String suffix) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(suffix)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
    }

    private static List<String> jsonArray(String exec) {
        try {
            JsonNode a = JSON.readTree(exec);
            assertThat(a.isArray()).as("exec form: %s", exec).isTrue();
            List<String> out = new ArrayList<>();
            a.forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new AssertionError("not the exec (JSON array) form: " + exec, e);
        }
    }

    // ------------------------------------------------------------------------------ Dockerfile reading

    private record Instruction(int stage, String keyword, String args) {
    }

    /** A Dockerfile as instructions (comments dropped, continuation lines joined), each with its stage. */
    private record Dockerfile(List<String> stages, List<Instruction> instructions) {
        static Dockerfile parse(String text) {
            List<String> logical = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                } else {
                    current.append(trimmed);
                    logical.add(current.toString().replaceAll("\\s+", " ").trim());
                    current.setLength(0);
                }
            }
            List<String> stages = new ArrayList<>();
            List<Instruction> instructions = new ArrayList<>();
            for (String l : logical) {
                if (l.isEmpty()) {
                    continue;
                }
                String[] kv = l.split(" ", 2);
                String keyword = kv[0].toUpperCase();
                String args = kv.length > 1 ? kv[1] : "";
                if (keyword.equals("FROM")) {
                    stages.add(args.replaceAll("^--platform=\\S+ ", ""));
                }
                instructions.add(new Instruction(stages.size() - 1, keyword, args));
            }
            return new Dockerfile(stages, instructions);
        }

        List<Instruction> runtime() {
            return instructions.stream().filter(i -> i.stage() == stages.size() - 1).toList();
        }

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
        }

        String last(String keyword) {
            List<String> all = all(keyword);
            assertThat(all).as("the Dockerfile has %s", keyword).isNotEmpty();
            return all.get(all.size() - 1);
        }
    }
}
