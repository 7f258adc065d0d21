package com.consentry.api;

import com.consentry.ops.Health;
import com.consentry.ops.LagMonitor;
import com.consentry.ops.ServiceMetrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import com.consentry.ops.RestoringPartitions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

/**
 * The service's HTTP API (Javalin): eligibility queries, health, Prometheus metrics and consumer lag.
 * The paths are a contract ({@code interfaces.md}). Answers and errors are JSON ({@code {"error": "..."}});
 * with a bearer token configured, the {@code /v1/} paths need it, health and metrics stay open.
 *
 * <p>The port is bound first, before the streams exist, so that the actual port (0 = any free one) can be
 * published to the other instances as {@code application.server}; until {@link #attach} the queries and
 * readiness answer 503.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String APPLICATION_JSON = "application/json";

    private final HttpSettings settings;
    private final ServiceMetrics metrics;
    private final Javalin app;
    private final byte[] token;
    private final EligibilityEndpoints eligibility;
    private volatile Attached attached;

    /** What health and lag are answered from, once the service exists. */
    private record Attached(KafkaStreams streams, LagMonitor lag, Health.Peers peers) {
    }

    /** Partitions restoring here: not answered from here (see {@link RestoringPartitions}). */
    private final RestoringPartitions restoring = new RestoringPartitions();

    /** To be told of every state restoration of the streams attached (see {@link RestoringPartitions}). */
    public StateRestoreListener restoreListener() {
        return restoring;
    }

    private HttpApi(HttpSettings settings, ServiceMetrics metrics, Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.eligibility = new EligibilityEndpoints(clock);
        this.token = settings.bearerToken() == null ? null : settings.bearerToken().getBytes(StandardCharsets.UTF_8);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.jetty.defaultHost = settings.host();
            cfg.jetty.defaultPort = settings.port();
            if (settings.keyStore() != null) {
                // https only: the one connector is TLS (no plain-http connector is added beside it)
                cfg.jetty.addConnector((server, http) -> tlsConnector(server, http, settings));
            }
            cfg.http.defaultContentType = APPLICATION_JSON;
        });
        app.get("/health/live", ctx -> json(ctx, 200, JSON.createObjectNode().put("status", "UP")));
        app.get("/health/ready", this::ready);
        app.get(PeerPartitions.PATH, this::partitions);
        app.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
        app.beforeMatched("/v1/*", this::authorize);
        app.get("/v1/lag", this::lag);
        app.get("/v1/eligibility/{customerId}", eligibility::view);
        app.get("/v1/eligibility/{customerId}/{brand}/{channel}", eligibility::answer);
        app.get("/v1/eligibility/{customerId}/{brand}/{channel}/history", eligibility::history);
        app.get("/v1/customers/{customerId}/export", eligibility::export);
        app.exception(ApiException.class, HttpApi::error);
        // a store read while the streams start, rebalance or stop: not ready (503), never an internal error
        app.exception(InvalidStateStoreException.class, (e, ctx) -> ApiException.notReady(e)
                .ifPresentOrElse(notReady -> error(notReady, ctx), () -> internalError(e, ctx)));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getStatus() == 404
                ? "no such endpoint: " + ctx.method() + " " + ctx.path() : e.getMessage()));
        app.exception(Exception.class, HttpApi::internalError);
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    private static ServerConnector tlsConnector(Server server, HttpConfiguration http, HttpSettings settings) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(settings.keyStore().load());
        tls.setKeyStorePassword(settings.keyStore().password() == null ? "" : settings.keyStore().password());
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        return connector;
    }

    /** Binds the port and serves health and metrics; queries wait for {@link #attach}. */
    public static HttpApi start(HttpSettings settings, ServiceMetrics metrics, Clock clock) {
        HttpApi api = new HttpApi(settings, metrics, clock);
        try {
            api.app.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen for HTTP on " + settings.host() + ":" + settings.port()
                    + ": " + rootMessage(e), e);
        }
        LOG.info("http listening url={}://{}:{} advertised={} auth={}", settings.scheme(), settings.host(), api.port(),
                api.self().host() + ":" + api.self().port(), api.token == null ? "none" : "bearer");
        return api;
    }

    /** Starts answering queries from {@code streams}. */
    public void attach(KafkaStreams streams, EligibilityQuery query, LagMonitor lag) {
        Forwarder forwarder = new Forwarder(self(), settings.scheme(), settings.clientTls(), Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        eligibility.attach(new CustomerLookup(streams, self(), forwarder, restoring), query);
        // readiness probes must answer quickly: a peer gets a second
        Forwarder probe = new Forwarder(self(), settings.scheme(), settings.clientTls(), Duration.ofMillis(500),
                Duration.ofSeconds(1));
        this.attached = new Attached(streams, lag, new PeerPartitions(probe, System::nanoTime));
    }

    public int port() {
        return app.port();
    }

    /** This instance as the others reach it: the advertised host and the bound port. */
    public HostInfo self() {
        return new HostInfo(settings.advertisedHost(), port());
    }

    public Health.Readiness readiness() {
        Attached a = attached;
        return a == null ? Health.readiness(null, self(), restoring, (peer, p) -> false)
                : Health.readiness(a.streams(), self(), restoring, a.peers());
    }

    /** {@code {"answerable": [0, 2]}}: the partitions of the customers store this instance answers for itself. */
    private void partitions(Context ctx) {
        Attached a = attached;
        ObjectNode body = JSON.createObjectNode();
        var answerable = body.putArray("answerable");
        Health.answerableHere(a == null ? null : a.streams(), restoring).forEach(answerable::add);
        json(ctx, 200, body);
    }

    private Attached attached() {
        Attached a = attached;
        if (a == null) {
            throw ApiException.notReady("not ready: the service is starting");
        }
        return a;
    }

    private void ready(Context ctx) {
        Health.Readiness r = readiness();
        ObjectNode body = JSON.createObjectNode().put("status", r.ready() ? "UP" : "DOWN").put("state", r.state());
        if (!r.ready()) {
            body.put("error", "not ready: " + r.detail());
        }
        json(ctx, r.ready() ? 200 : 503, body);
    }

    private void lag(Context ctx) throws InterruptedException {
        LagMonitor.LagReport report;
        try {
            report = attached().lag().report();
        } catch (IllegalStateException e) {
            throw ApiException.notReady(e.getMessage());
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("group", report.group());
        body.put("at", report.at().toString());
        body.put("totalLag", report.totalLag());
        var partitions = body.putArray("partitions");
        for (LagMonitor.PartitionLag p : report.partitions()) {
            ObjectNode n = partitions.addObject();
            n.put("topic", p.topic());
            n.put("partition", p.partition());
            n.put("endOffset", p.endOffset());
            if (p.committedOffset() == null) {
                n.putNull("committedOffset");
            } else {
                n.put("committedOffset", p.committedOffset());
            }
            n.put("lag", p.lag());
        }
        json(ctx, 200, body);
    }

    private void authorize(Context ctx) {
        if (token == null) {
            return;
        }
        String h = ctx.header("Authorization");
        boolean ok = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(h.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
        if (!ok) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, h == null
                    ? "missing bearer token: send Authorization: Bearer <token>"
                    : "invalid bearer token");
        }
    }

    static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType(APPLICATION_JSON).result(body.toString());
    }

    private static void error(ApiException e, Context ctx) {
        if (e.status() == 503) {
            ctx.header("Retry-After", "1");
        }
        error(ctx, e.status(), e.getMessage());
    }

    private static void internalError(Exception e, Context ctx) {
        LOG.error("http request failed method={} path={} error={}", ctx.method(), ctx.endpointHandlerPath(),
                e.toString(), e);
        error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
    }

    private static void error(Context ctx, int status, String message) {
        json(ctx, status, JSON.createObjectNode().put("error", message));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public void close() {
        app.stop();
    }
}
