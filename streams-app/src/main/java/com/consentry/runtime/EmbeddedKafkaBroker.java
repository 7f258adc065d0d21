package com.consentry.runtime;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.FaultHandlerFactory;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.SharedServer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.ServerSocketFactory;
import org.apache.kafka.server.fault.FaultHandler;
import org.apache.kafka.server.fault.FaultHandlerException;
import org.apache.kafka.server.fault.LoggingFaultHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Apache Kafka broker, in this JVM: one KRaft node that is both broker and controller, listening on
 * 127.0.0.1 only. Used by the {@code dev} command (port 9092) and by integration tests (port 0 = random).
 *
 * <p>The node is assembled the way {@code kafka.server.KafkaRaftServer} assembles it (one {@link SharedServer},
 * a {@link ControllerServer}, a {@link BrokerServer}), with two differences that matter in-process:
 * <ul>
 *   <li>both listener sockets are bound by us before the server starts (so the controller's port, which the
 *       static quorum configuration must name, is known without a "find a free port" race, a busy port is
 *       reported up front, and port 0 works for the broker listener);</li>
 *   <li>a fatal server fault is logged rather than halting the whole JVM (Kafka's default), so the host
 *       process can still shut down its other parts, e.g. the schema registry child process.</li>
 * </ul>
 *
 * <p>The data directory is formatted on first use; an existing, already formatted directory is reused with
 * its cluster id, so {@code dev} can keep its topics across restarts. A temporary directory is deleted on close.
 * A JVM shutdown hook closes the broker cleanly on Ctrl-C / SIGTERM; after a SIGKILL, the next start on the same
 * directory takes about 9 s longer (the old registration must expire first).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    public static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String SECURE_LISTENER = "SECURE";
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    /**
     * A second client listener that requires TLS and SCRAM-SHA-512 ({@code SASL_SSL}), beside the plain one
     * the broker itself and its administration use. Users are added with {@link #addScramUser}.
     *
     * @param keyStore         the broker's certificate and key (PKCS12)
     * @param keyStorePassword its password (also the key's)
     */
    public record SaslSslListener(Path keyStore, String keyStorePassword) {
        @Override
        public String toString() {
            return "SaslSslListener[" + keyStore + "]";
        }
    }

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final PreboundSocketFactory sockets;
    private final ControllerServer controller;
    private final BrokerServer broker;
    private final int port;
    private final int securePort;
    private final String clusterId;
    private final FaultRecorder faults;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedKafkaBroker(Path dataDir, boolean deleteDataDirOnClose, PreboundSocketFactory sockets,
                                ControllerServer controller, BrokerServer broker,
                                int port, int securePort, String clusterId, FaultRecorder faults) {
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.sockets = sockets;
        this.controller = controller;
        this.broker = broker;
        this.port = port;
        this.securePort = securePort;
        this.clusterId = clusterId;
        this.faults = faults;
        // a clean (controlled) shutdown on Ctrl-C / SIGTERM too: after an unclean stop, the next start on the same
        // data directory waits for the old registration's session to expire (broker.session.timeout.ms, 9 s)
        this.shutdownHook = new Thread(this::close, "embedded-kafka-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a single-node broker and returns once it is registered, unfenced and accepting connections.
     *
     * @param port          the client port on 127.0.0.1; 0 picks a free one
     * @param dataDirOrNull where the logs and the metadata live (created and formatted if needed, kept on close);
     *                      null for a temporary directory that is deleted on close
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDirOrNull) {
        return start(port, dataDirOrNull, Map.of());
    }

    /**
     * As {@link #start(int, Path)}, with extra broker properties that override the defaults (listener and
     * node settings cannot be overridden).
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDirOrNull, Map<String, ?> overrides) {
        return start(port, dataDirOrNull, overrides, null);
    }

    /**
     * As {@link #start(int, Path, Map)}, with a {@code SASL_SSL} listener on a free port too when
     * {@code secureOrNull} is given (see {@link #secureBootstrapServers()}).
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDirOrNull, Map<String, ?> overrides,
                                            SaslSslListener secureOrNull) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        long started = System.nanoTime();
        Path dataDir;
        boolean temporary = dataDirOrNull == null;
        try {
            dataDir = temporary
                    ? Files.createTempDirectory("consentry-kafka-")
                    : Files.createDirectories(dataDirOrNull.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory " + dataDirOrNull, e);
        }

        PreboundSocketFactory sockets = new PreboundSocketFactory();
        SharedServer shared = null;
        ControllerServer controller = null;
        BrokerServer broker = null;
        try {
            int brokerPort = sockets.bind(BROKER_LISTENER, port, "Kafka");
            int controllerPort = sockets.bind(CONTROLLER_LISTENER, 0, "Kafka controller");
            int securePort = secureOrNull == null ? -1 : sockets.bind(SECURE_LISTENER, 0, "Kafka SASL_SSL");

            Path logDir = dataDir.resolve("kraft-combined-logs");
            Files.createDirectories(logDir);
            Map<String, Object> props = brokerProperties(brokerPort, controllerPort, logDir, overrides);
            if (secureOrNull != null) {
                addSecureListener(props, securePort, secureOrNull);
            }
            String clusterId = formatIfNeeded(logDir.toString());

            KafkaConfig config = new KafkaConfig(props, false);
            var logDirs = KafkaRaftServer.initializeLogDirs(config, log, "[EmbeddedKafkaBroker] ");
            MetaPropertiesEnsemble metaProps = logDirs._1();
            BootstrapMetadata bootstrapMetadata = logDirs._2();

            FaultRecorder faults = new FaultRecorder();
            shared = new SharedServer(
                    config,
                    metaProps,
                    Time.SYSTEM,
                    new Metrics(),
                    CompletableFuture.completedFuture(
                            QuorumConfig.parseVoterConnections(config.quorumConfig().voters())),
                    QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()),
                    faults,
                    sockets);
            controller = new ControllerServer(shared, KafkaRaftServer.configSchema(), bootstrapMetadata);
            broker = new BrokerServer(shared);

            // same order as KafkaRaftServer: the controller first, then the broker (which waits to be unfenced)
            controller.startup();
            broker.startup();

            int bound = broker.boundPort(ListenerName.normalised(BROKER_LISTENER));
            if (bound != brokerPort) {
                throw new IllegalStateException("broker bound port " + bound + ", expected " + brokerPort);
            }
            log.info("Kafka {} broker (KRaft, node {}, cluster {}) ready on {}:{} in {} ms, data in {}",
                    AppInfoParser.getVersion(), NODE_ID, clusterId, HOST, brokerPort,
                    (System.nanoTime() - started) / 1_000_000, dataDir);
            return new EmbeddedKafkaBroker(dataDir, temporary, sockets, controller, broker,
                    brokerPort, securePort, clusterId, faults);
        } catch (Throwable e) {
            stopQuietly(broker, controller);
            sockets.closeUnused();
            if (temporary) {
                deleteQuietly(dataDir);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("could not start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> brokerProperties(int brokerPort, int controllerPort, Path logDir,
                                                        Map<String, ?> overrides) {
        Map<String, Object> props = new HashMap<>();
        // sensible single-node defaults, which callers may override
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // Kafka's time retention (7 days by default) goes by the records' timestamps, which here are event
        // times: a replayed history older than that would be deleted at the next retention check (every
        // 5 minutes), before the service reads it. A local broker keeps everything.
        props.put("log.retention.ms", "-1");
        // the cleaner's dedupe buffer is allocated up front (128 MiB by default); plenty for local compaction
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        // fail rather than wait forever (Kafka's default) if the node cannot get ready
        props.put("server.max.startup.time.ms", "120000");
        props.putAll(overrides);
        // identity and networking: not overridable
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        props.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        return props;
    }

    private static void addSecureListener(Map<String, Object> props, int securePort, SaslSslListener secure) {
        String listener = SECURE_LISTENER + "://" + HOST + ":" + securePort;
        props.put("listeners", props.get("listeners") + "," + listener);
        props.put("advertised.listeners", props.get("advertised.listeners") + "," + listener);
        props.put("listener.security.protocol.map",
                props.get("listener.security.protocol.map") + "," + SECURE_LISTENER + ":SASL_SSL");
        String prefix = "listener.name." + SECURE_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        props.put(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
        props.put(prefix + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put(prefix + "ssl.keystore.location", secure.keyStore().toAbsolutePath().toString());
        props.put(prefix + "ssl.keystore.password", secure.keyStorePassword());
        props.put(prefix + "ssl.key.password", secure.keyStorePassword());
        props.put(prefix + "ssl.keystore.type", "PKCS12");
    }

    /**
     * Adds (or replaces) a SCRAM-SHA-512 user for the {@code SASL_SSL} listener, through the plain listener,
     * and returns once the broker knows it.
     */
    public void addScramUser(String user, String password) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    user, new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeUserScramCredentials(List.of(user)).all().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .containsKey(user)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not learn the SCRAM user " + user + " in 30 s");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding the SCRAM user " + user, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not add the SCRAM user " + user + ": " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:PORT} of the {@code SASL_SSL} listener; only when the broker was started with one. */
    public String secureBootstrapServers() {
        if (securePort < 0) {
            throw new IllegalStateException("this broker was started without a SASL_SSL listener");
        }
        return HOST + ":" + securePort;
    }

    /** Formats the directory as a new single-node cluster unless it already is one; returns the cluster id. */
    private static String formatIfNeeded(String logDir) throws Exception {
        MetaPropertiesEnsemble existing = new MetaPropertiesEnsemble.Loader().addLogDirs(List.of(logDir)).load();
        Optional<String> existingClusterId = existing.clusterId();
        if (existingClusterId.isPresent()) {
            var nodeId = existing.nodeId();
            if (nodeId.isPresent() && nodeId.getAsInt() != NODE_ID) {
                throw new IllegalStateException(logDir + " belongs to node " + nodeId.getAsInt()
                        + " of another cluster; use an empty directory");
            }
            log.debug("reusing formatted Kafka data directory {} (cluster {})", logDir, existingClusterId.get());
            return existingClusterId.get();
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        }
        log.debug("formatted {} for cluster {}: {}", logDir, clusterId, out.toString(StandardCharsets.UTF_8).trim());
        return clusterId;
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String clusterId() {
        return clusterId;
    }

    /** The first fatal fault the server reported, if any (the broker is then not to be trusted). */
    public Optional<Throwable> fatalFault() {
        return Optional.ofNullable(faults.firstFatal.get());
    }

    /**
     * For an owner that, in its own shutdown hook, stops the broker's clients and then the broker: drops
     * the broker's hook, which would otherwise stop the broker at the same time (the JVM runs shutdown
     * hooks concurrently) while those clients still commit and leave their groups.
     */
    public EmbeddedKafkaBroker closedByOwnerOnExit() {
        removeShutdownHook();
        return this;
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is exiting; the hook may run too and will find this broker closed
        }
    }

    /** Controlled shutdown of the broker, then the controller; deletes the data directory if it is temporary. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != shutdownHook) {
            removeShutdownHook();
        }
        long started = System.nanoTime();
        stopQuietly(broker, controller);
        sockets.closeUnused();
        if (deleteDataDirOnClose) {
            deleteQuietly(dataDir);
        }
        log.info("Kafka broker on {}:{} stopped in {} ms", HOST, port, (System.nanoTime() - started) / 1_000_000);
    }

    private static void stopQuietly(BrokerServer broker, ControllerServer controller) {
        // combined mode: the broker first (its controlled shutdown needs the controller), as KafkaRaftServer does
        if (broker != null) {
            try {
                broker.shutdown();
            } catch (Throwable e) {
                log.warn("error shutting down the Kafka broker", e);
            }
        }
        if (controller != null) {
            try {
                controller.shutdown();
            } catch (Throwable e) {
                log.warn("error shutting down the Kafka controller", e);
            }
        }
        try {
            if (broker != null) {
                broker.awaitShutdown();
            }
            if (controller != null) {
                controller.awaitShutdown();
            }
        } catch (Throwable e) {
            log.warn("error waiting for the Kafka broker to stop", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            log.warn("could not delete {}", dir, e);
        }
    }

    /** Listener sockets bound before the server starts, handed over when its SocketServer asks for them. */
    private static final class PreboundSocketFactory implements ServerSocketFactory {
        private final Map<String, ServerSocketChannel> channels = new ConcurrentHashMap<>();

        int bind(String listener, int port, String what) throws IOException {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(new InetSocketAddress(HOST, port));
            } catch (BindException e) {
                Utils.closeQuietly(channel, "server socket");
                throw new IllegalStateException(what + " port " + HOST + ":" + port
                        + " is already in use (another Kafka, or an earlier run still alive?); "
                        + "stop it or choose another port", e);
            } catch (IOException | RuntimeException e) {
                Utils.closeQuietly(channel, "server socket");
                throw e;
            }
            channels.put(listener, channel);
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        @Override
        public ServerSocketChannel openServerSocket(String listenerName, InetSocketAddress socketAddress,
                                                    int listenBacklogSize, int recvBufferSize) throws IOException {
            ServerSocketChannel channel = channels.remove(listenerName);
            if (channel != null && channel.isOpen()) {
                return channel;
            }
            return ServerSocketFactory.INSTANCE.openServerSocket(listenerName, socketAddress, listenBacklogSize,
                    recvBufferSize);
        }

        /** Closes the sockets no SocketServer took over (the SocketServer closes the ones it took). */
        void closeUnused() {
            channels.values().forEach(c -> Utils.closeQuietly(c, "server socket"));
            channels.clear();
        }
    }

    /** Logs faults; a fatal one is remembered instead of halting the JVM as Kafka's standalone server does. */
    private static final class FaultRecorder implements FaultHandlerFactory {
        private final AtomicReference<Throwable> firstFatal = new AtomicReference<>();

        @Override
        public FaultHandler build(String name, boolean fatal, Runnable action) {
            if (!fatal) {
                return new LoggingFaultHandler(name, action);
            }
            return (failureMessage, cause) -> {
                FaultHandlerException fault = new FaultHandlerException(failureMessage, cause);
                firstFatal.compareAndSet(null, fault);
                log.error("FATAL fault in the embedded Kafka broker ({}): {}; it is no longer reliable, restart it",
                        name, failureMessage, cause);
                try {
                    action.run();
                } catch (Throwable e) {
                    log.error("fault action failed", e);
                }
                return fault;
            };
        }
    }
}
