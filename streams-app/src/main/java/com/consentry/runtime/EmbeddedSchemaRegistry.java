package com.consentry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

/**
 * A real schema registry with the Confluent REST API on 127.0.0.1: Apicurio Registry (in-memory storage, or H2
 * files that survive a restart; plain http, or https only: see {@link Options}), built by
 * the {@code dev-registry} module into {@code dev-registry/target/quarkus-app/quarkus-run.jar} and run here as a
 * child JVM. Used by the {@code dev} command (port 8081) and by integration tests (port 0 = random).
 *
 * <p>Unlike Confluent's registry, Apicurio's global compatibility default is NONE; {@link #start} sets it to
 * BACKWARD, Confluent's default. The child is stopped by {@link #close()} and, should the caller not get that
 * far, by a JVM shutdown hook (a parent killed with SIGKILL cannot run it: the child then keeps its port, and
 * the next start reports it).
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    public static final String HOST = "127.0.0.1";
    public static final String JAR_PROPERTY = "consentry.registry.jar";
    public static final String JAR_ENV = "CONSENTRY_REGISTRY_JAR";
    public static final String JAR_RELATIVE_PATH = "dev-registry/target/quarkus-app/quarkus-run.jar";
    /** Path of the Confluent-compatible API below the registry's root. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    public static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^\\s:/]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the registry runs, beyond its port.
     *
     * @param logDir           where {@code schema-registry.log} goes (kept); null for a temporary directory
     * @param dataDir          where its database lives (H2 files, kept across restarts, as a real deployment keeps
     *                         its schemas); null for in-memory storage, lost when it stops
     * @param keyStore         when set, it serves https only, with this certificate and key (PKCS12)
     * @param keyStorePassword the key store's password
     * @param trust            the TLS context this class checks an https registry with (trusting its certificate)
     */
    public record Options(Path logDir, Path dataDir, Path keyStore, String keyStorePassword, SSLContext trust) {
        public static Options plain() {
            return new Options(null, null, null, null, null);
        }

        public Options withLogDir(Path dir) {
            return new Options(dir, dataDir, keyStore, keyStorePassword, trust);
        }

        public Options withDataDir(Path dir) {
            return new Options(logDir, dir, keyStore, keyStorePassword, trust);
        }

        public Options withTls(Path store, String password, SSLContext trusting) {
            return new Options(logDir, dataDir, store, password, trusting);
        }

        boolean tls() {
            return keyStore != null;
        }

        @Override
        public String toString() {
            return "Options[log " + logDir + ", data " + dataDir + ", tls " + tls() + "]";
        }
    }

    private final Process process;
    private final int port;
    private final String scheme;
    private final Path logFile;
    private final Path tempDirToDelete;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedSchemaRegistry(Process process, int port, String scheme, Path logFile, Path tempDirToDelete,
                                   Thread shutdownHook) {
        this.process = process;
        this.port = port;
        this.scheme = scheme;
        this.logFile = logFile;
        this.tempDirToDelete = tempDirToDelete;
        this.shutdownHook = shutdownHook;
    }

    /** Starts the registry with its log in a temporary directory (deleted on close). */
    public static EmbeddedSchemaRegistry start(Path quarkusRunJar, int port) {
        return start(quarkusRunJar, port, Options.plain());
    }

    /**
     * Starts the registry and returns once {@code /health/ready} answers 200 and the global compatibility is
     * BACKWARD.
     *
     * @param quarkusRunJar the fast-jar launcher, see {@link #locateJar()}
     * @param port          the HTTP port on 127.0.0.1; 0 picks a free one
     * @param logDirOrNull  where {@code schema-registry.log} goes (kept); null for a temporary directory
     */
    public static EmbeddedSchemaRegistry start(Path quarkusRunJar, int port, Path logDirOrNull) {
        return start(quarkusRunJar, port, Options.plain().withLogDir(logDirOrNull));
    }

    /** As {@link #start(Path, int, Path)}, with storage and TLS as {@code options} say. */
    public static EmbeddedSchemaRegistry start(Path quarkusRunJar, int port, Options options) {
        Path logDirOrNull = options.logDir();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        Path jar = quarkusRunJar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Schema registry jar " + jar + " does not exist. " + buildHint());
        }
        if (port != 0) {
            requirePortFree(port, jar);
        }
        long started = System.nanoTime();
        Path dir;
        Path tempDir = null;
        try {
            if (logDirOrNull == null) {
                tempDir = Files.createTempDirectory("consentry-registry-");
                dir = tempDir;
            } else {
                dir = Files.createDirectories(logDirOrNull.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the schema registry log directory " + logDirOrNull, e);
        }
        Path logFile = dir.resolve("schema-registry.log");

        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx128m", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=" + HOST));
        if (options.tls()) {
            command.addAll(List.of("-Dquarkus.http.ssl-port=" + port, "-Dquarkus.http.insecure-requests=disabled",
                    "-Dquarkus.http.ssl.certificate.key-store-file=" + options.keyStore().toAbsolutePath(),
                    "-Dquarkus.http.ssl.certificate.key-store-file-type=PKCS12"));
        } else {
            command.add("-Dquarkus.http.port=" + port);
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (options.tls()) {
            // in the environment, not on the command line that every user of the machine can read
            builder.environment().put("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD", options.keyStorePassword());
        }
        if (options.dataDir() != null) {
            // Apicurio's own variable for its H2 database (in memory by default)
            builder.environment().put("REGISTRY_DATASOURCE_URL",
                    "jdbc:h2:file:" + options.dataDir().toAbsolutePath().resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE");
        }
        builder
                // its own working directory: Quarkus also reads .env and config/application.properties from there
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteQuietly(tempDir);
            throw new UncheckedIOException("cannot start the schema registry: " + String.join(" ", command), e);
        }
        Thread hook = new Thread(() -> stop(process), "schema-registry-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        EmbeddedSchemaRegistry registry = null;
        try {
            HttpClient http = httpClient(options.trust());
            String scheme = options.tls() ? "https" : "http";
            int actualPort = awaitReady(process, scheme, port, logFile, http);
            registry = new EmbeddedSchemaRegistry(process, actualPort, scheme, logFile, tempDir, hook);
            registry.setGlobalCompatibility(http, "BACKWARD");
            log.info("Schema registry (Apicurio, pid {}) ready on {} in {} ms, log {}", process.pid(), registry.url(),
                    (System.nanoTime() - started) / 1_000_000, logFile);
            return registry;
        } catch (RuntimeException | Error e) {
            stop(process);
            removeHook(hook);
            // the temporary directory is kept on failure: the message points at the log in it
            throw e;
        }
    }

    private static int awaitReady(Process process, String scheme, int requestedPort, Path logFile, HttpClient http) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int port = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failure("the schema registry exited with code " + process.exitValue() + " during start-up",
                        logFile);
            }
            if (port < 0) {
                // wait for this child's own "Listening on" line even with a fixed port, so that a health check
                // can't be answered by some other process on that port
                Matcher m = LISTENING.matcher(readQuietly(logFile));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    if (requestedPort != 0 && port != requestedPort) {
                        throw failure("the schema registry listens on " + port + ", not " + requestedPort, logFile);
                    }
                }
            }
            if (port > 0 && isReady(http, scheme, port)) {
                return port;
            }
            sleep(150);
        }
        throw failure("the schema registry was not ready within " + READY_TIMEOUT.toSeconds() + " s", logFile);
    }

    private static boolean isReady(HttpClient http, String scheme, int port) {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create(scheme + "://" + HOST + ":" + port + "/health/ready"))
                            .timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema registry", e);
        }
    }

    private void setGlobalCompatibility(HttpClient http, String level) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("compatibility", level));
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url() + "/config"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", CONFLUENT_JSON)
                            .header("Accept", CONFLUENT_JSON)
                            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode answer = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
            if (answer == null || !level.equals(answer.path("compatibility").asText())) {
                throw failure("setting the global compatibility to " + level + " failed: HTTP "
                        + response.statusCode() + " " + response.body(), logFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("setting the schema registry's global compatibility failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The Confluent-compatible base URL, {@code http://127.0.0.1:PORT/apis/ccompat/v7} (no trailing slash). */
    public String url() {
        return rootUrl() + CCOMPAT_PATH;
    }

    /** The registry's root, {@code http://127.0.0.1:PORT} (health at /health, Apicurio's own API at /apis); https with TLS. */
    public String rootUrl() {
        return scheme + "://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the child (SIGTERM, then SIGKILL after a few seconds) and deletes a temporary log directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        stop(process);
        removeHook(shutdownHook);
        deleteQuietly(tempDirToDelete);
        log.info("Schema registry on port {} stopped in {} ms", port, (System.nanoTime() - started) / 1_000_000);
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("schema registry (pid {}) did not stop within {} s; killing it", process.pid(),
                        STOP_GRACE.toSeconds());
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or will run; nothing to do
        }
    }

    /**
     * Finds {@code quarkus-run.jar}: the system property {@value #JAR_PROPERTY}, else the environment variable
     * {@value #JAR_ENV}, else {@value #JAR_RELATIVE_PATH} in the current directory or one of its parents.
     */
    public static Path locateJar() {
        String configured = System.getProperty(JAR_PROPERTY);
        String source = "system property " + JAR_PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(JAR_ENV);
            source = "environment variable " + JAR_ENV;
        }
        if (configured != null && !configured.isBlank()) {
            Path jar = Paths.get(configured.trim()).toAbsolutePath().normalize();
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            throw new IllegalStateException("The schema registry jar named by the " + source + " (" + jar
                    + ") does not exist. " + buildHint());
        }
        Path start = Paths.get("").toAbsolutePath().normalize();
        // from the working directory up, then from the running jar up (streams-app/target/streams-app.jar)
        for (Path from : new Path[] {start, runningJarDirectory()}) {
            for (Path dir = from; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(JAR_RELATIVE_PATH);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("Cannot find the schema registry jar " + JAR_RELATIVE_PATH + " in " + start
                + ", the directory of the running jar, or any of their parents. " + buildHint());
    }

    private static Path runningJarDirectory() {
        try {
            Path code = Paths.get(EmbeddedSchemaRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().normalize().getParent();
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String buildHint() {
        return "Build it from the project root with `mvn -B package -DskipTests` (module dev-registry), "
                + "or point -D" + JAR_PROPERTY + "=... or " + JAR_ENV + " at dev-registry/target/quarkus-app/quarkus-run.jar.";
    }

    /** The {@code java} of this JVM (else of {@code java.home}), to start child processes with. */
    public static String javaExecutable() {
        String current = ProcessHandle.current().info().command().orElse(null);
        if (current != null) {
            String name = Paths.get(current).getFileName().toString();
            if ((name.equals("java") || name.equals("java.exe")) && Files.isExecutable(Paths.get(current))) {
                return current;
            }
        }
        Path fromHome = Paths.get(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "java.exe" : "java");
        return fromHome.toString();
    }

    private static void requirePortFree(int port, Path jar) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (BindException e) {
            List<String> suspects = new ArrayList<>();
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(jar.toString())).orElse(false))
                    .forEach(p -> suspects.add(Long.toString(p.pid())));
            throw new IllegalStateException("Schema registry port " + HOST + ":" + port + " is already in use"
                    + (suspects.isEmpty() ? "" : " (registry processes from an earlier run, left behind? pids "
                    + String.join(", ", suspects) + ")") + "; stop it or choose another port", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpClient httpClient(SSLContext trust) {
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (trust != null) {
            builder.sslContext(trust);
        }
        return builder
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private static IllegalStateException failure(String message, Path logFile) {
        return new IllegalStateException(message + "; log " + logFile + ", last lines:\n" + tail(logFile, 40));
    }

    private static String tail(Path file, int lines) {
        String text = readQuietly(file);
        String[] all = text.split("\\R");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    /** The log as text; at most its last 256 KiB. */
    private static String readQuietly(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(0, length - 256 * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema registry", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}", dir, e);
        }
    }
}
