package com.consentry.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistry} over the Confluent Schema Registry REST API, using {@link HttpClient} and Jackson.
 *
 * <p>Works with any registry speaking that API: Confluent, Apicurio ({@code http://host/apis/ccompat/v7}),
 * Karapace, Redpanda. Paths are appended to the base URL as given. Subject names are URL-encoded.
 *
 * <p>Thread-safe. Caches (subject, schema) → id and id → schema, so the serdes make one HTTP call per topic and
 * per writer schema id. Idempotent GETs are retried once on an I/O error.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistry {

    private static final Logger log = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    private final ConcurrentMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    private record Reply(int status, String body, String location) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** A client without authentication and with the default 10 s request timeout. */
    public HttpSchemaRegistryClient(String baseUrl) {
        this(baseUrl, null, null, DEFAULT_TIMEOUT);
    }

    /**
     * @param baseUrl           e.g. {@code http://127.0.0.1:8081} or {@code http://host:8080/apis/ccompat/v7}; a
     *                          {@code user:password@} in it is used as basic-auth user-info unless one is given
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
     * @param bearerToken       a bearer token, or null (not together with basic auth)
     * @param timeout           per-request timeout (and connect timeout), or null for {@link #DEFAULT_TIMEOUT}
     */
    public HttpSchemaRegistryClient(String baseUrl, String basicAuthUserInfo, String bearerToken, Duration timeout) {
        this(baseUrl, basicAuthUserInfo, bearerToken, timeout, null);
    }

    /**
     * As {@link #HttpSchemaRegistryClient(String, String, String, Duration)}, checking an {@code https}
     * registry's certificate with {@code tls} (e.g. one trusting a private CA); null for the JVM's default trust.
     */
    public HttpSchemaRegistryClient(String baseUrl, String basicAuthUserInfo, String bearerToken, Duration timeout,
                                    SSLContext tls) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = URI.create(baseUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema registry URL is not a valid URL: '" + baseUrl + "'", e);
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "schema registry URL must be http://host[:port][/path] or https://..., got '" + baseUrl + "'");
        }
        String url = uri.toString();
        String userInfoFromUrl = null;
        if (uri.getRawUserInfo() != null) {
            userInfoFromUrl = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            url = url.replaceFirst(java.util.regex.Pattern.quote(uri.getRawUserInfo() + "@"), "");
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.baseUrl = url;

        String userInfo = isBlank(basicAuthUserInfo) ? userInfoFromUrl : basicAuthUserInfo;
        if (!isBlank(userInfo) && !isBlank(bearerToken)) {
            throw new IllegalArgumentException("give either basic-auth user-info or a bearer token, not both");
        }
        if (!isBlank(userInfo)) {
            if (!userInfo.contains(":")) {
                throw new IllegalArgumentException("basic-auth user-info must be 'user:password'");
            }
            this.authorization = "Basic "
                    + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        } else if (!isBlank(bearerToken)) {
            this.authorization = "Bearer " + bearerToken.trim();
        } else {
            this.authorization = null;
        }

        this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (this.timeout.isNegative() || this.timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        HttpClient.Builder client = HttpClient.newBuilder();
        if (tls != null) {
            client.sslContext(tls);
        }
        this.http = client
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(this.timeout)
                .followRedirects(HttpClient.Redirect.NEVER) // a followed 301/302 would turn a POST into a GET
                .build();
    }

    /** The base URL requests go to, without credentials and trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String op = "register(" + subject + ")";
        JsonNode reply = null;
        // registering the same schema twice gives the same id, so a server error is safe to retry: some
        // registries answer 5xx when two clients register the same new schema at the same moment
        for (int attempt = 1; reply == null; attempt++) {
            try {
                reply = expectOk(op, "POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            } catch (SchemaRegistryException e) {
                if (e.status() == 409) {
                    // Apicurio answers 409 "artifact already exists" to the second of two clients creating a
                    // subject at the same moment: if the other one registered this very schema, that is its id
                    return registeredBySomeoneElse(subject, schema, key, e);
                }
                if (e.status() < 500 || attempt >= REGISTER_ATTEMPTS) {
                    throw e;
                }
                log.info("{}: registry answered {}, retrying (attempt {} of {})", op, e.status(), attempt + 1,
                        REGISTER_ATTEMPTS);
                sleepQuietly(100L * attempt);
            }
        }
        int id = requiredInt(op, reply, "id");
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private static final int REGISTER_ATTEMPTS = 4;

    /**
     * After a 409 from register: the id of {@code schema} if it is registered under {@code subject} after all
     * (a concurrent registration); otherwise the conflict stands, a real incompatibility, and is thrown.
     */
    private int registeredBySomeoneElse(String subject, Schema schema, SubjectSchema key, SchemaRegistryException conflict) {
        String op = "idOf(" + subject + ")";
        Reply found;
        try {
            found = send(op, "POST", "/subjects/" + encode(subject), schemaBody(schema));
        } catch (SchemaRegistryException e) {
            conflict.addSuppressed(e);
            throw conflict;
        }
        if (found.status() != 200) {
            throw conflict;
        }
        int id = requiredInt(op, parse(op, "POST", "/subjects/" + encode(subject), found), "id");
        log.info("register({}): the registry answered 409, but the schema is registered (by a concurrent client) as id {}",
                subject, id);
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int idOf(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String op = "idOf(" + subject + ")";
        JsonNode reply = expectOk(op, "POST", "/subjects/" + encode(subject), schemaBody(schema));
        int id = requiredInt(op, reply, "id");
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String op = "schemaById(" + id + ")";
        JsonNode reply = expectOk(op, "GET", "/schemas/ids/" + id, null);
        JsonNode type = reply.get("schemaType");
        if (type != null && type.isTextual() && !type.asText().equalsIgnoreCase("AVRO")) {
            throw new SchemaRegistryException(
                    op + ": schema id " + id + " at " + baseUrl + " is a " + type.asText() + " schema, not Avro",
                    200, -1);
        }
        JsonNode text = reply.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException(
                    op + ": GET " + baseUrl + "/schemas/ids/" + id + " answered without a \"schema\" field: "
                            + snippet(reply.toString()),
                    200, -1);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    op + ": schema id " + id + " from " + baseUrl + " is not a valid Avro schema: " + e.getMessage(),
                    200, -1, e);
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        String op = "isCompatible(" + subject + ")";
        String path = "/compatibility/subjects/" + encode(subject) + "/versions/latest";
        Reply reply = send(op, "POST", path, schemaBody(schema));
        if (reply.status() == 404 && isRegistryError(reply.body())) {
            // unknown subject (40401) or no versions yet (40402): anything is compatible with nothing
            return true;
        }
        if (!reply.ok()) {
            throw failure(op, "POST", path, reply);
        }
        JsonNode node = parse(op, "POST", path, reply);
        JsonNode answer = node.get("is_compatible");
        if (answer == null || !answer.isBoolean()) {
            throw new SchemaRegistryException(op + ": POST " + baseUrl + path
                    + " answered without a boolean \"is_compatible\": " + snippet(reply.body()), reply.status(), -1);
        }
        return answer.booleanValue();
    }

    @Override
    public void setCompatibility(String subject, String level) {
        String checked = SchemaRegistry.checkLevel(level);
        String path = subject == null ? "/config" : "/config/" + encode(requireSubject(subject));
        String op = "setCompatibility(" + (subject == null ? "global" : subject) + ", " + checked + ")";
        ObjectNode body = JSON.createObjectNode().put("compatibility", checked);
        expectOk(op, "PUT", path, body.toString());
    }

    @Override
    public List<String> subjects() {
        JsonNode reply = expectOk("subjects()", "GET", "/subjects", null);
        if (!reply.isArray()) {
            throw new SchemaRegistryException(
                    "subjects(): GET " + baseUrl + "/subjects did not answer a JSON array: " + snippet(reply.toString()),
                    200, -1);
        }
        List<String> subjects = new ArrayList<>(reply.size());
        reply.forEach(n -> subjects.add(n.asText()));
        return subjects;
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient[" + baseUrl + "]";
    }

    // ----------------------------------------------------------------------------------------------- HTTP

    private JsonNode expectOk(String op, String method, String path, String body) {
        Reply reply = send(op, method, path, body);
        if (!reply.ok()) {
            throw failure(op, method, path, reply);
        }
        return parse(op, method, path, reply);
    }

    private Reply send(String op, String method, String path, String body) {
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest request = builder.build();
        int attempts = "GET".equals(method) ? 2 : 1;
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Reply(response.statusCode(), response.body(),
                        response.headers().firstValue("Location").orElse(null));
            } catch (IOException e) {
                last = e;
                if (attempt < attempts) {
                    log.debug("{}: {} {} failed ({}), retrying once", op, method, uri, e.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(op + ": interrupted during " + method + " " + uri,
                        SchemaRegistryException.NO_RESPONSE, -1, e);
            }
        }
        String why;
        if (last instanceof HttpTimeoutException) {
            why = "no answer within " + timeout.toMillis() + " ms from schema registry at " + baseUrl;
        } else if (last instanceof ConnectException) {
            why = "cannot connect to schema registry at " + baseUrl + " (" + describe(last) + ")";
        } else {
            why = "I/O error talking to schema registry at " + baseUrl + " (" + describe(last) + ")";
        }
        throw new SchemaRegistryException(op + ": " + method + " " + uri + " failed: " + why,
                SchemaRegistryException.NO_RESPONSE, -1, last);
    }

    private SchemaRegistryException failure(String op, String method, String path, Reply reply) {
        int errorCode = -1;
        String message = null;
        try {
            JsonNode node = JSON.readTree(reply.body());
            if (node != null && node.isObject()) {
                if (node.hasNonNull("error_code") && node.get("error_code").canConvertToInt()) {
                    errorCode = node.get("error_code").intValue();
                }
                if (node.hasNonNull("message")) {
                    message = node.get("message").asText();
                }
            }
        } catch (JsonProcessingException | RuntimeException notJson) {
            // keep the raw body
        }
        if (message == null) {
            message = reply.body() == null || reply.body().isBlank() ? "(empty body)" : snippet(reply.body());
        }
        StringBuilder text = new StringBuilder()
                .append(op).append(": ").append(method).append(' ').append(baseUrl).append(path)
                .append(" -> HTTP ").append(reply.status());
        if (errorCode != -1) {
            text.append(" (error_code ").append(errorCode).append(')');
        }
        text.append(": ").append(message);
        if (reply.status() >= 300 && reply.status() < 400 && reply.location() != null) {
            text.append(" - redirected to ").append(reply.location()).append("; use that as the registry URL");
        }
        if (reply.status() == 401 || reply.status() == 403) {
            text.append(" - check the schema registry credentials");
        }
        if (reply.status() == 409) {
            return new IncompatibleSchemaException(text.toString(), errorCode);
        }
        return new SchemaRegistryException(text.toString(), reply.status(), errorCode);
    }

    private JsonNode parse(String op, String method, String path, Reply reply) {
        try {
            JsonNode node = JSON.readTree(reply.body());
            if (node == null || node.isMissingNode()) {
                throw new IOException("empty body");
            }
            return node;
        } catch (IOException e) {
            throw new SchemaRegistryException(op + ": " + method + " " + baseUrl + path + " -> HTTP " + reply.status()
                    + " with a body that is not JSON: " + snippet(reply.body()), reply.status(), -1, e);
        }
    }

    private int requiredInt(String op, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(op + ": answer from " + baseUrl + " has no integer \"" + field + "\": "
                    + snippet(node.toString()), 200, -1);
        }
        return value.intValue();
    }

    /** A 404 that is the registry's JSON error (unknown subject), not e.g. an HTML page for a wrong base URL. */
    private static boolean isRegistryError(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() && (node.has("error_code") || node.has("message"));
        } catch (JsonProcessingException | RuntimeException e) {
            return false;
        }
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        body.put("schemaType", "AVRO");
        return body.toString();
    }

    static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be null or blank");
        }
        return subject;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            text.append(": ").append(e.getMessage());
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null && !cause.getMessage().equals(e.getMessage())) {
            text.append("; ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    private static String snippet(String body) {
        if (body == null) {
            return "(no body)";
        }
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
