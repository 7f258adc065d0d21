package com.consentry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema V1 = SchemaBuilder.record("Consent").namespace("t").fields()
            .requiredString("subjectId")
            .endRecord();
    private static final Schema V2 = SchemaBuilder.record("Consent").namespace("t").fields()
            .requiredString("subjectId")
            .requiredString("channel")
            .endRecord();

    private FakeSchemaRegistryServer server;

    private FakeSchemaRegistryServer start(String prefix) throws IOException {
        server = new FakeSchemaRegistryServer(prefix);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void registerPostsTheSchemaAsJsonAndCachesTheId() throws Exception {
        start("");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        int id = client.register("consent-events-value", V1);
        int again = client.register("consent-events-value", V1);
        Schema fetched = client.schemaById(id);

        assertThat(id).isEqualTo(1);
        assertThat(again).isEqualTo(1);
        assertThat(fetched).isEqualTo(V1);
        assertThat(server.requests).hasSize(1);
        FakeSchemaRegistryServer.Request request = server.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/subjects/consent-events-value/versions");
        assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.header("Authorization")).isNull();
        JsonNode body = JSON.readTree(request.body());
        assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(V1);
        assertThat(body.get("schemaType").asText()).isEqualTo("AVRO");
    }

    @Test
    void schemaByIdIsFetchedOnceThenServedFromCache() throws Exception {
        start("");
        int id = server.registry.register("consent-events-value", V1);
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        Schema first = client.schemaById(id);
        Schema second = client.schemaById(id);

        assertThat(first).isEqualTo(V1);
        assertThat(second).isSameAs(first);
        assertThat(server.requests).extracting(Object::toString).containsExactly("GET /schemas/ids/" + id);
    }

    @Test
    void baseUrlPathPrefixIsKeptAndTrailingSlashIgnored() throws Exception {
        start("/apis/ccompat/v7");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url() + "/");

        client.register("consent-events-value", V1);
        assertThat(client.subjects()).containsExactly("consent-events-value");

        assertThat(client.baseUrl()).isEqualTo(server.url());
        assertThat(server.requests).extracting(Object::toString).containsExactly(
                "POST /apis/ccompat/v7/subjects/consent-events-value/versions",
                "GET /apis/ccompat/v7/subjects");
    }

    @Test
    void subjectNamesAreUrlEncoded() throws Exception {
        start("");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        client.register("odd subject/ä+1", V1);

        assertThat(server.requests.get(0).rawPath()).isEqualTo("/subjects/odd%20subject%2F%C3%A4%2B1/versions");
        assertThat(client.subjects()).containsExactly("odd subject/ä+1");
    }

    @Test
    void conflictIsAnIncompatibleSchemaExceptionCarryingTheRegistrysMessage() throws Exception {
        start("");
        // Apicurio answers 409 with error_code 0
        server.respondNext(409, "{\"error_code\":0,\"message\":\"Incompatible artifact: Consent [READER_FIELD_MISSING_DEFAULT_VALUE]\"}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.register("consent-events-value", V2))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessage("register(consent-events-value): POST " + server.url()
                        + "/subjects/consent-events-value/versions -> HTTP 409 (error_code 0): "
                        + "Incompatible artifact: Consent [READER_FIELD_MISSING_DEFAULT_VALUE]")
                .satisfies(e -> assertThat(((IncompatibleSchemaException) e).errorCode()).isZero());
    }

    @Test
    void aConcurrentRegistrationOfTheSameSchemaGivesItsIdNotAConflict() throws Exception {
        start("");
        int theirs = new HttpSchemaRegistryClient(server.url()).register("send-decisions-value", V1);
        // what Apicurio answers the second of two instances creating the subject at the same moment
        server.respondNext(409, "{\"error_code\":409,\"message\":\"An artifact with ID 'send-decisions-value' in group "
                + "'null' already exists.\"}");
        HttpSchemaRegistryClient ours = new HttpSchemaRegistryClient(server.url());

        assertThat(ours.register("send-decisions-value", V1)).isEqualTo(theirs);
        assertThat(server.requests).extracting(r -> r.method() + " " + r.rawPath()).endsWith(
                "POST /subjects/send-decisions-value/versions", "POST /subjects/send-decisions-value");
    }

    @Test
    void realIncompatibilityFromTheServerIsRefused() throws Exception {
        start("");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());
        client.register("consent-events-value", V1);
        client.setCompatibility("consent-events-value", "BACKWARD");

        assertThat(client.isCompatible("consent-events-value", V2)).isFalse();
        assertThatThrownBy(() -> client.register("consent-events-value", V2))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("channel");
    }

    @Test
    void serverErrorNamesMethodUrlStatusAndMessage() throws Exception {
        start("");
        for (int i = 0; i < 4; i++) { // every attempt of register fails
            server.respondNext(500, "{\"error_code\":50001,\"message\":\"Error in the backend datastore\"}");
        }
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.register("consent-events-value", V1))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("register(consent-events-value)")
                .hasMessageContaining("POST " + server.url() + "/subjects/consent-events-value/versions")
                .hasMessageContaining("HTTP 500 (error_code 50001): Error in the backend datastore")
                .satisfies(e -> {
                    assertThat(((SchemaRegistryException) e).status()).isEqualTo(500);
                    assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(50001);
                });
    }

    @Test
    void registerRetriesAServerErrorBecauseRegisteringIsIdempotent() throws Exception {
        start("");
        server.respondNext(500, "{\"error_code\":50001,\"message\":\"Unique index or primary key violation\"}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        int id = client.register("consent-events-value", V1);

        assertThat(id).isPositive();
        assertThat(server.requests).filteredOn(r -> r.method().equals("POST")).hasSize(2);
    }

    @Test
    void nonJsonErrorBodyIsQuoted() throws Exception {
        start("");
        server.respondNext(502, "<html><body>\n  Bad Gateway\n</body></html>", "text/html");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.subjects())
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("GET " + server.url() + "/subjects -> HTTP 502: <html><body> Bad Gateway </body></html>");
    }

    @Test
    void redirectIsNotFollowedButReportedWithItsTarget() throws Exception {
        start("");
        server.redirectNext("https://registry.example/apis/ccompat/v7/subjects/consent-events-value/versions");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.register("consent-events-value", V1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 301")
                .hasMessageContaining("redirected to https://registry.example/apis/ccompat/v7/subjects/");
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void unauthorizedSuggestsCheckingCredentials() throws Exception {
        start("");
        server.respondNext(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url(), "svc:wrong", null, null);

        assertThatThrownBy(() -> client.subjects())
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("credentials");
    }

    @Test
    void connectionRefusedNamesTheRegistryUrl() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + freePort;
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(url, null, null, Duration.ofSeconds(2));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("schemaById(1): GET " + url + "/schemas/ids/1 failed")
                .hasMessageContaining("cannot connect to schema registry at " + url)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).status())
                        .isEqualTo(SchemaRegistryException.NO_RESPONSE));
    }

    @Test
    void credentialsInTheUrlAreUsedButNeverShownInMessages() throws Exception {
        start("");
        String url = server.url().replace("http://", "http://svc:s3cret@");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(url);
        server.respondNext(500, "{\"message\":\"boom\"}");

        assertThatThrownBy(() -> client.subjects()).isInstanceOf(SchemaRegistryException.class)
                .hasMessageNotContaining("s3cret")
                .hasMessageContaining(server.url());
        assertThat(client.baseUrl()).isEqualTo(server.url());
        assertThat(server.requests.get(0).header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("svc:s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void basicAuthAndBearerTokenHeaders() throws Exception {
        start("");
        new HttpSchemaRegistryClient(server.url(), "svc:pa:ss", null, null).subjects();
        new HttpSchemaRegistryClient(server.url(), null, "tok-123", null).subjects();

        assertThat(server.requests.get(0).header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("svc:pa:ss".getBytes(StandardCharsets.UTF_8)));
        assertThat(server.requests.get(1).header("Authorization")).isEqualTo("Bearer tok-123");
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(server.url(), "a:b", "tok", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getIsRetriedOnceWhenTheConnectionBreaks() throws Exception {
        start("");
        int id = server.registry.register("consent-events-value", V1);
        server.truncateNext();
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThat(client.schemaById(id)).isEqualTo(V1);
        assertThat(server.count("GET", "/schemas/ids/" + id)).isEqualTo(2);
    }

    @Test
    void postIsNotRetriedWhenTheConnectionBreaks() throws Exception {
        start("");
        server.truncateNext();
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.register("consent-events-value", V1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("register(consent-events-value): POST " + server.url())
                .hasMessageContaining("I/O error talking to schema registry at " + server.url());
        assertThat(server.count("POST", "/versions")).isEqualTo(1);
        assertThat(server.registry.subjects()).isEmpty();
    }

    @Test
    void slowRegistryTimesOutWithAClearMessage() throws Exception {
        start("");
        server.delayNext(3_000).delayNext(3_000);
        HttpSchemaRegistryClient client =
                new HttpSchemaRegistryClient(server.url(), null, null, Duration.ofMillis(300));

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.subjects())
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("no answer within 300 ms from schema registry at " + server.url());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void isCompatibleTreatsAnUnknownSubjectAsCompatible() throws Exception {
        start("");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThat(client.isCompatible("never-registered-value", V1)).isTrue();
        assertThat(server.requests).extracting(Object::toString)
                .containsExactly("POST /compatibility/subjects/never-registered-value/versions/latest");
    }

    @Test
    void isCompatibleDoesNotMistakeAWrongBaseUrlForAnUnknownSubject() throws Exception {
        start("");
        server.respondNext(404, "<html>Not Found</html>", "text/html");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.isCompatible("consent-events-value", V1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void setCompatibilityPutsGlobalAndSubjectConfig() throws Exception {
        start("");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        client.setCompatibility(null, "backward");
        client.setCompatibility("consent-events-value", "NONE");

        assertThat(server.requests).extracting(Object::toString)
                .containsExactly("PUT /config", "PUT /config/consent-events-value");
        assertThat(JSON.readTree(server.requests.get(0).body()).get("compatibility").asText()).isEqualTo("BACKWARD");
        assertThat(JSON.readTree(server.requests.get(1).body()).get("compatibility").asText()).isEqualTo("NONE");
        assertThat(server.registry.levelOf("other-value")).isEqualTo("BACKWARD");
        assertThat(server.registry.levelOf("consent-events-value")).isEqualTo("NONE");
        assertThatThrownBy(() -> client.setCompatibility(null, "SOMETIMES"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void idOfFindsRegisteredSchemasAndReports404ForOthers() throws Exception {
        start("");
        int id = server.registry.register("consent-events-value", V1);
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThat(client.idOf("consent-events-value", V1)).isEqualTo(id);
        assertThat(client.idOf("consent-events-value", V1)).isEqualTo(id);
        assertThat(server.count("POST", "/subjects/consent-events-value")).isEqualTo(1);
        assertThatThrownBy(() -> client.idOf("consent-events-value", V2))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("idOf(consent-events-value): POST " + server.url() + "/subjects/consent-events-value -> HTTP 404 (error_code 40403)")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isNotFound()).isTrue());
        assertThat(server.registry.versions("consent-events-value")).hasSize(1);
    }

    @Test
    void avroSerdeOverHttpCallsTheRegistryOncePerTopicAndOncePerSchemaId() throws Exception {
        start("/apis/ccompat/v7");
        AvroSerde<TestConsent> producer =
                new AvroSerde<>(new HttpSchemaRegistryClient(server.url()), TestConsent.class);
        AvroSerde<TestConsent> consumer =
                new AvroSerde<>(new HttpSchemaRegistryClient(server.url()), TestConsent.class);
        TestConsent record = new TestConsent("s-1", true, Instant.parse("2025-01-01T00:00:00Z"), "n", "web");

        byte[] last = null;
        for (int i = 0; i < 5; i++) {
            last = producer.serializer().serialize("consent-events", record);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(consumer.deserializer().deserialize("consent-events", last)).isEqualTo(record);
        }

        assertThat(server.requests).extracting(Object::toString).containsExactly(
                "POST /apis/ccompat/v7/subjects/consent-events-value/versions",
                "GET /apis/ccompat/v7/schemas/ids/1");
    }

    @Test
    void invalidBaseUrlIsRejectedUpFront() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient("localhost:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost:8081");
    }
}
