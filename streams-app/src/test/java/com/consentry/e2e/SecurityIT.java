package com.consentry.e2e;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.config.TlsStore;
import com.consentry.runtime.EmbeddedKafkaBroker;
import com.consentry.runtime.EmbeddedSchemaRegistry;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12, "security": a real broker whose only listener for the service is {@code SASL_SSL} (SCRAM-SHA-512, a
 * certificate from a CA generated for the test), a real registry (Apicurio) that serves https only, and the
 * service configured from the environment alone, as {@code run} is, with every secret in a file named by a
 * {@code *_FILE} variable. Its HTTP API serves https and wants the bearer token on every {@code /v1/} request.
 * It processes a customer's consent and answers a query over https; a client with a wrong SCRAM password is
 * refused by the broker; and not one line the service logged, from start to stop, holds a secret.
 */
class SecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "consentry-svc";

    @TempDir
    static Path temp;

    @Test
    void theServiceRunsOnSaslSslAndAnHttpsRegistryWithFileSecretsAndLogsNoneOfThem() throws Exception {
        TestCertificates tls = TestCertificates.generate(temp.resolve("tls"));
        String scramPassword = "scram-" + UUID.randomUUID();
        String token = "token-" + UUID.randomUUID();
        String hmacSecret = "hmac-" + UUID.randomUUID();
        List<String> secrets = List.of(scramPassword, token, hmacSecret, tls.password());
        SSLContext trust = new TlsStore("test", tls.trustStore(), tls.password(), "PKCS12").trustingContext();

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        // Kafka's clients at INFO log their whole configuration: that must show the secrets as [hidden]
        Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        Logger consentry = (Logger) LoggerFactory.getLogger("com.consentry");
        Level kafkaLevel = kafka.getLevel();
        Level consentryLevel = consentry.getLevel();
        kafka.setLevel(Level.INFO);
        consentry.setLevel(Level.DEBUG);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null, Map.of(),
                new EmbeddedKafkaBroker.SaslSslListener(tls.serverKeyStore(), tls.password()));
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.locateJar(), 0,
                     EmbeddedSchemaRegistry.Options.plain().withTls(tls.serverKeyStore(), tls.password(), trust))) {
            broker.addScramUser(USER, scramPassword);
            assertThat(registry.url()).startsWith("https://");

            Map<String, String> env = environment(broker, registry, tls, scramPassword, token, hmacSecret);
            AppConfig config = AppConfig.load(null, env);
            assertThat(config.get("bootstrap.servers")).isEqualTo(broker.secureBootstrapServers());

            refusesAWrongPassword(broker, tls);

            try (ServiceRunner runner = ServiceRunner.start(config);
                 EventPublisher publisher = new EventPublisher(config, ConsentryService.registryClient(config))) {
                assertThat(runner.httpUrl()).startsWith("https://");
                LineParser parser = new LineParser(config.topics());
                int n = 0;
                for (String line : List.of(
                        "{\"type\":\"customer\",\"at\":\"2026-03-01T09:00:00Z\",\"customerId\":\"s1\","
                                + "\"eventType\":\"UPSERT\",\"country\":\"GB\",\"email\":\"s1@example.com\"}",
                        "{\"type\":\"consent\",\"at\":\"2026-03-01T10:00:00Z\",\"customerId\":\"s1\","
                                + "\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"status\":\"GRANTED\","
                                + "\"source\":\"CHECKOUT\"}")) {
                    publisher.publish((ParsedLine.Event) parser.parse(line, ++n)).get(30, TimeUnit.SECONDS);
                }

                HttpClient https = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5))
                        .build();
                String query = runner.httpUrl() + "/v1/eligibility/s1/MR%20PORTER/EMAIL";
                JsonNode[] answer = new JsonNode[1];
                LocalCluster.await(Duration.ofSeconds(90), "the consent to be answered over https", () -> {
                    HttpResponse<String> r = get(https, query, token);
                    if (r == null || r.statusCode() != 200) {
                        return false;
                    }
                    answer[0] = readTree(r.body());
                    return answer[0].path("eligible").asBoolean();
                });
                assertThat(answer[0].path("reason").asText()).isEqualTo("CONSENT");

                assertThat(get(https, query, null).statusCode()).as("no token").isEqualTo(401);
                assertThat(get(https, query, "wrong-" + token).statusCode()).as("a wrong token").isEqualTo(401);
                assertThat(get(https, runner.httpUrl() + "/v1/lag", null).statusCode()).isEqualTo(401);
                assertThat(get(https, runner.httpUrl() + "/health/live", null).statusCode())
                        .as("health stays open").isEqualTo(200);
                String plain = runner.httpUrl().replace("https://", "http://") + "/v1/eligibility/s1";
                HttpResponse<String> overPlainHttp = get(HttpClient.newHttpClient(), plain, token);
                assertThat(overPlainHttp == null || overPlainHttp.statusCode() >= 400)
                        .as("plain http gets no answer").isTrue();
            }
        } finally {
            root.detachAppender(log);
            kafka.setLevel(kafkaLevel);
            consentry.setLevel(consentryLevel);
        }

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(log.list)) {
            lines.add(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                lines.add(t.getMessage() == null ? "" : t.getMessage());
            }
        }
        assertThat(lines).as("the service's start-up and run were logged")
                .anyMatch(l -> l.startsWith("http listening url=https://"))
                .anyMatch(l -> l.contains("sasl.jaas.config = [hidden]"));
        for (String secret : secrets) {
            assertThat(lines).as("no log line holds a secret").noneMatch(l -> l.contains(secret));
        }
    }

    /** The service's whole configuration: environment variables, each secret in a file of its own. */
    private static Map<String, String> environment(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry,
                                                   TestCertificates tls, String scramPassword, String token,
                                                   String hmacSecret) throws IOException {
        Path secrets = Files.createDirectories(temp.resolve("secrets"));
        Map<String, String> env = new HashMap<>();
        env.put("BOOTSTRAP_SERVERS", broker.secureBootstrapServers());
        env.put("CONSENTRY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("CONSENTRY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("CONSENTRY_KAFKA_SASL_JAAS_CONFIG_FILE", secret(secrets, "jaas",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                        + "\" password=\"" + scramPassword + "\";\n"));
        env.put("CONSENTRY_KAFKA_SSL_TRUSTSTORE_LOCATION", tls.trustStore().toString());
        env.put("CONSENTRY_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
        String storePassword = secret(secrets, "store-password", tls.password() + "\n");
        env.put("CONSENTRY_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", storePassword);
        env.put("CONSENTRY_SCHEMA_REGISTRY_URL", registry.url());
        env.put("CONSENTRY_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", tls.trustStore().toString());
        env.put("CONSENTRY_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD_FILE", storePassword);
        env.put("CONSENTRY_HTTP_PORT", "0");
        env.put("CONSENTRY_HTTP_TLS_KEYSTORE_LOCATION", tls.serverKeyStore().toString());
        env.put("CONSENTRY_HTTP_TLS_KEYSTORE_PASSWORD_FILE", storePassword);
        env.put("CONSENTRY_HTTP_TLS_TRUSTSTORE_LOCATION", tls.trustStore().toString());
        env.put("CONSENTRY_HTTP_TLS_TRUSTSTORE_PASSWORD_FILE", storePassword);
        env.put("CONSENTRY_HTTP_BEARER_TOKEN_FILE", secret(secrets, "token", token));
        env.put("CONSENTRY_SUPPRESSION_SECRET_FILE", secret(secrets, "hmac", hmacSecret + "\n"));
        env.put("CONSENTRY_APPLICATION_ID", "secure-app");
        env.put("CONSENTRY_STATE_DIR", temp.resolve("state").toString());
        env.put("CONSENTRY_TOPICS_CREATE", "true");
        env.put("CONSENTRY_TOPICS_PARTITIONS", "1");
        env.put("CONSENTRY_TOPICS_REPLICATION", "1");
        env.put("CONSENTRY_KAFKA_COMMIT_INTERVAL_MS", "100");
        return env;
    }

    private static String secret(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file.toString();
    }

    private static void refusesAWrongPassword(EmbeddedKafkaBroker broker, TestCertificates tls) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.secureBootstrapServers());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"not-the-password\";");
        p.put("ssl.truststore.location", tls.trustStore().toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", tls.password());
        try (Admin admin = Admin.create(p)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
