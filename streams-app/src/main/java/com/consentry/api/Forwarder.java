package com.consentry.api;

import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/**
 * Sends a query on to the instance that holds the customer, and relays its answer. A forwarded request
 * carries {@value #FORWARDED_HEADER} (the sender), so that the receiver answers from its own stores and
 * never forwards again; {@value #SERVE_HEADER}{@code : standby} asks it to answer from a standby copy.
 */
final class Forwarder {
    static final String FORWARDED_HEADER = "X-Consentry-Forwarded-By";
    static final String SERVE_HEADER = "X-Consentry-Serve";
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final HttpClient client;
    private final Duration timeout;
    private final String self;
    private final String scheme;

    /** An answer from another instance. */
    record Relayed(int status, String contentType, String body) {
    }

    /**
     * @param scheme {@code http}, or {@code https} when the instances serve TLS
     * @param tls    the TLS context for https peers (trusting their certificates), or null for the default
     */
    Forwarder(HostInfo self, String scheme, SSLContext tls, Duration connectTimeout, Duration timeout) {
        this.self = self.host() + ":" + self.port();
        this.scheme = scheme;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * @param pathAndQuery the original request's path and query string
     * @return the target's answer, or empty when it cannot be reached in time
     */
    Optional<Relayed> forward(HostInfo target, String pathAndQuery, String authorization, boolean fromStandby) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://" + target.host() + ":" + target.port()
                        + pathAndQuery))
                .timeout(timeout)
                .header(FORWARDED_HEADER, self)
                .GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (fromStandby) {
            b.header(SERVE_HEADER, "standby");
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Relayed(r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse("application/json"), r.body()));
        } catch (IOException e) {
            LOG.warn("forward failed target={}:{} error={}", target.host(), target.port(), e.getClass().getSimpleName());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.notReady("interrupted while forwarding to " + target.host() + ":" + target.port());
        }
    }
}
