package com.consentry.api;

import com.consentry.config.AppConfig;

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
 */
public record HttpSettings(String host, int port, String advertisedHost, String bearerToken) {

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
        return new HttpSettings(host, port, advertised, optional(config, "consentry.http.bearer-token"));
    }

    /** This instance as Kafka Streams' {@code application.server} ({@code host:port}). */
    public HostInfo self() {
        return new HostInfo(advertisedHost, port);
    }

    public String applicationServer() {
        return advertisedHost + ":" + port;
    }

    public HttpSettings withPort(int actualPort) {
        return new HttpSettings(host, actualPort, advertisedHost, bearerToken);
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
