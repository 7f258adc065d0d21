package com.consentry.api;

import com.consentry.config.AppConfig;
import com.consentry.config.TlsStore;

import org.apache.kafka.streams.state.HostInfo;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the HTTP API listens and how other instances reach it.
 *
 * @param host           {@code consentry.http.host} (default 127.0.0.1; 0.0.0.0 for every interface)
 * @param port           {@code consentry.http.port} (default 8080; 0 picks a free port)
 * @param advertisedHost {@code consentry.http.advertised-host}: the name other instances use to reach this
 *                       one, published to them as Kafka Streams' {@code application.server}; default the
 *                       listen host, or this machine's host name when that is a wildcard address
 * @param bearerToken    {@code consentry.http.bearer-token}: when set, every {@code /v1/} request needs
 *                       {@code Authorization: Bearer <token>}; null when not set
 * @param keyStore       {@code consentry.http.tls.keystore.*}: when set, the API serves https only, with this
 *                       certificate and key; null for plain http
 * @param trustStore     {@code consentry.http.tls.truststore.*}: the certificates a forwarded query (and
 *                       {@code export}) trusts on an https peer; null for the JVM's default trust
 */
public record HttpSettings(String host, int port, String advertisedHost, String bearerToken, TlsStore keyStore,
                           TlsStore trustStore) {

    public HttpSettings(String host, int port, String advertisedHost, String bearerToken) {
        this(host, port, advertisedHost, bearerToken, null, null);
    }

    public static HttpSettings from(AppConfig config) {
        String host = config.get("consentry.http.host").trim();
        int port = config.getInt("consentry.http.port");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("setting consentry.http.port=" + port + " is not a port (0-65535)");
        }
        String advertised = optional(config, "consentry.http.advertised-host");
        if (advertised == null) {
            advertised = isWildcard(host) ? localHostName() : host;
        }
        return new HttpSettings(host, port, advertised, optional(config, "consentry.http.bearer-token"),
                TlsStore.from(config, AppConfig.HTTP_KEYSTORE).orElse(null),
                TlsStore.from(config, AppConfig.HTTP_TRUSTSTORE).orElse(null));
    }

    /** This instance as Kafka Streams' {@code application.server} ({@code host:port}). */
    public HostInfo self() {
        return new HostInfo(advertisedHost, port);
    }

    public String applicationServer() {
        return advertisedHost + ":" + port;
    }

    public HttpSettings withPort(int actualPort) {
        return new HttpSettings(host, actualPort, advertisedHost, bearerToken, keyStore, trustStore);
    }

    /** {@code https} when the API serves TLS, else {@code http}. */
    public String scheme() {
        return keyStore == null ? "http" : "https";
    }

    /** The TLS context for requests to an instance: trusting {@link #trustStore}, or null for the default. */
    public javax.net.ssl.SSLContext clientTls() {
        return trustStore == null ? null : trustStore.trustingContext();
    }

    /** Without the bearer token. */
    @Override
    public String toString() {
        return "HttpSettings[" + scheme() + "://" + host + ":" + port + ", advertised " + advertisedHost
                + ", auth " + (bearerToken == null ? "none" : "bearer") + "]";
    }

    /** A key with dashes, also when set from the environment (which turns the dash into a dot). */
    private static String optional(AppConfig config, String key) {
        String v = config.all().get(key);
        if (v == null) {
            v = config.all().get(key.replace('-', '.'));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("consentry.http.host is a wildcard address and this machine's name"
                    + " cannot be resolved: set consentry.http.advertised-host", e);
        }
    }
}
