package com.consentry.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.Schema;

/**
 * A tiny Confluent-API schema registry on 127.0.0.1 (JDK HttpServer), backed by {@link InMemorySchemaRegistry},
 * that records every request and can be told to misbehave for the next request(s).
 */
final class FakeSchemaRegistryServer implements AutoCloseable {

    record Request(String method, String rawPath, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return method + " " + rawPath;
        }
    }

    private record Canned(int status, String body, String contentType, long delayMillis, boolean truncate,
            String location) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Canned> canned = new ArrayDeque<>();
    private final String prefix;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    FakeSchemaRegistryServer() throws IOException {
        this("");
    }

    /** @param prefix a path prefix like "/apis/ccompat/v7", or "" */
    FakeSchemaRegistryServer(String prefix) throws IOException {
        this.prefix = prefix;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Base URL including the prefix. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The next request gets this answer instead of the real one. */
    synchronized FakeSchemaRegistryServer respondNext(int status, String body, String contentType) {
        canned.add(new Canned(status, body, contentType, 0, false, null));
        return this;
    }

    synchronized FakeSchemaRegistryServer respondNext(int status, String jsonBody) {
        return respondNext(status, jsonBody, HttpSchemaRegistryClient.CONTENT_TYPE);
    }

    /**
     * The next request gets a 200 whose body breaks off after a few bytes (the JDK client does not re-send a request
     * by itself once response bytes have arrived).
     */
    synchronized FakeSchemaRegistryServer truncateNext() {
        canned.add(new Canned(0, null, null, 0, true, null));
        return this;
    }

    /** The next request gets a permanent redirect to {@code location}. */
    synchronized FakeSchemaRegistryServer redirectNext(String location) {
        canned.add(new Canned(301, "", null, 0, false, location));
        return this;
    }

    /** The next request is answered normally, but only after a delay. */
    synchronized FakeSchemaRegistryServer delayNext(long millis) {
        canned.add(new Canned(-1, null, null, millis, false, null));
        return this;
    }

    long count(String method, String pathSuffix) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.rawPath().endsWith(pathSuffix))
                .count();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String rawPath = exchange.getRequestURI().getRawPath();
        requests.add(new Request(exchange.getRequestMethod(), rawPath, Map.copyOf(exchange.getRequestHeaders()), body));
        Canned next;
        synchronized (this) {
            next = canned.poll();
        }
        if (next != null && next.truncate()) {
            exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, 1000);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"sch".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.close(); // fewer bytes than announced: the server closes the connection
            return;
        }
        if (next != null && next.delayMillis() > 0) {
            try {
                Thread.sleep(next.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.close();
                return;
            }
        }
        if (next != null && next.location() != null) {
            exchange.getResponseHeaders().set("Location", next.location());
        }
        if (next != null && next.status() > 0) {
            send(exchange, next.status(), next.body(), next.contentType());
            return;
        }
        try {
            Object[] reply = route(exchange.getRequestMethod(), rawPath.substring(prefix.length()), body);
            send(exchange, (Integer) reply[0], JSON.writeValueAsString(reply[1]), HttpSchemaRegistryClient.CONTENT_TYPE);
        } catch (IncompatibleSchemaException e) {
            send(exchange, 409, error(409, e.getMessage()), HttpSchemaRegistryClient.CONTENT_TYPE);
        } catch (SchemaRegistryException e) {
            send(exchange, e.status(), error(e.errorCode(), e.getMessage()), HttpSchemaRegistryClient.CONTENT_TYPE);
        } catch (RuntimeException e) {
            send(exchange, 500, error(50001, e.toString()), HttpSchemaRegistryClient.CONTENT_TYPE);
        }
    }

    private Object[] route(String method, String path, String body) throws IOException {
        String[] p = path.substring(1).split("/");
        switch (method + " " + p[0] + "/" + p.length) {
            case "GET subjects/1":
                return ok(registry.subjects());
            case "POST subjects/3": // /subjects/{s}/versions
                return ok(Map.of("id", registry.register(decode(p[1]), schemaOf(body))));
            case "POST subjects/2": { // /subjects/{s}
                String subject = decode(p[1]);
                Schema schema = schemaOf(body);
                int id = registry.idOf(subject, schema);
                return ok(Map.of("subject", subject, "id", id, "version",
                        registry.versions(subject).indexOf(schema) + 1, "schema", schema.toString()));
            }
            case "GET schemas/3": // /schemas/ids/{id}
                return ok(Map.of("schema", registry.schemaById(Integer.parseInt(p[2])).toString()));
            case "POST compatibility/5": { // /compatibility/subjects/{s}/versions/latest
                String subject = decode(p[2]);
                if (!registry.subjects().contains(subject)) {
                    throw new SchemaRegistryException("Subject '" + subject + "' not found.", 404, 40401);
                }
                return ok(Map.of("is_compatible", registry.isCompatible(subject, schemaOf(body))));
            }
            case "PUT config/1":
            case "PUT config/2": {
                String level = JSON.readTree(body).get("compatibility").asText();
                registry.setCompatibility(p.length == 2 ? decode(p[1]) : null, level);
                return ok(Map.of("compatibility", level));
            }
            default:
                return new Object[] {404, Map.of("error_code", 404, "message", "HTTP 404 Not Found")};
        }
    }

    private static Object[] ok(Object body) {
        return new Object[] {200, body};
    }

    private static Schema schemaOf(String body) throws IOException {
        JsonNode node = JSON.readTree(body);
        return new Schema.Parser().parse(node.get("schema").asText());
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String error(int code, String message) throws IOException {
        return JSON.writeValueAsString(Map.of("error_code", code, "message", message));
    }

    private static void send(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
