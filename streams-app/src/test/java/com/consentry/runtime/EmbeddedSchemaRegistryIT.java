package com.consentry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedSchemaRegistryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String V1 = """
            {"type":"record","name":"Person","namespace":"com.consentry.it",
             "fields":[{"name":"id","type":"string"}]}""";
    /** Adds a field without a default: a reader of this version cannot read v1 data, so not BACKWARD compatible. */
    private static final String V2_REQUIRED_FIELD = """
            {"type":"record","name":"Person","namespace":"com.consentry.it",
             "fields":[{"name":"id","type":"string"},{"name":"country","type":"string"}]}""";
    /** Adds a field with a default: BACKWARD compatible. */
    private static final String V2_OPTIONAL_FIELD = """
            {"type":"record","name":"Person","namespace":"com.consentry.it",
             "fields":[{"name":"id","type":"string"},{"name":"country","type":["null","string"],"default":null}]}""";

    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void startRegistry() {
        Path jar = EmbeddedSchemaRegistry.locateJar();
        long t0 = System.nanoTime();
        registry = EmbeddedSchemaRegistry.start(jar, 0);
        System.out.printf("[timing] schema registry started in %d ms on %s%n",
                (System.nanoTime() - t0) / 1_000_000, registry.url());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            long t0 = System.nanoTime();
            registry.close();
            System.out.printf("[timing] schema registry stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(registry.isAlive()).isFalse();
        }
    }

    @Test
    void urlIsTheConfluentCompatibleApiOnLoopback() throws Exception {
        assertThat(registry.url()).isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
        HttpResponse<String> config = get(registry.url() + "/config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(config.body()).path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void registersFetchesAndRefusesAnIncompatibleChange() throws Exception {
        String subject = "it-person-value";

        HttpResponse<String> registered = register(subject, V1);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        int id = JSON.readTree(registered.body()).path("id").asInt(-1);
        assertThat(id).isPositive();

        HttpResponse<String> fetched = get(registry.url() + "/schemas/ids/" + id);
        assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
        JsonNode fetchedSchema = JSON.readTree(JSON.readTree(fetched.body()).path("schema").asText());
        assertThat(fetchedSchema).isEqualTo(JSON.readTree(V1));

        HttpResponse<String> again = register(subject, V1);
        assertThat(JSON.readTree(again.body()).path("id").asInt()).as("same schema, same id").isEqualTo(id);

        HttpResponse<String> refused = register(subject, V2_REQUIRED_FIELD);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);

        HttpResponse<String> evolved = register(subject, V2_OPTIONAL_FIELD);
        assertThat(evolved.statusCode()).as(evolved.body()).isEqualTo(200);
        assertThat(JSON.readTree(evolved.body()).path("id").asInt()).isNotEqualTo(id);
    }

    @Test
    void locateJarExplainsHowToBuildTheJarWhenItIsMissing() {
        String previous = System.getProperty(EmbeddedSchemaRegistry.JAR_PROPERTY);
        System.setProperty(EmbeddedSchemaRegistry.JAR_PROPERTY, "/nonexistent/quarkus-run.jar");
        try {
            assertThatThrownBy(EmbeddedSchemaRegistry::locateJar)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("mvn -B package -DskipTests");
        } finally {
            if (previous == null) {
                System.clearProperty(EmbeddedSchemaRegistry.JAR_PROPERTY);
            } else {
                System.setProperty(EmbeddedSchemaRegistry.JAR_PROPERTY, previous);
            }
        }
    }

    @Test
    void aSecondRegistryOnTheSamePortIsRefusedClearly() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.locateJar(), registry.port()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already in use");
    }

    private static HttpResponse<String> register(String subject, String schema) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("schema", schema));
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/" + subject + "/versions"))
                        .header("Content-Type", EmbeddedSchemaRegistry.CONFLUENT_JSON)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
