package com.consentry.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheLocalAddressesDevListensOn() {
        AppConfig c = AppConfig.load(null, Map.of());
        assertThat(c.get("bootstrap.servers")).isEqualTo("127.0.0.1:9092");
        assertThat(c.get("consentry.schema.registry.url")).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(c.getInt("consentry.http.port")).isEqualTo(8080);
        assertThat(c.get("processing.guarantee")).isEqualTo("exactly_once_v2");
    }

    @Test
    void yamlIsFlattenedAndTheEnvironmentWinsOverTheFile() throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, """
                bootstrap.servers: broker:9092
                consentry:
                  http:
                    port: 9000
                  reminder:
                    delay: PT30M
                policy:
                  brands: [A, B]
                """);
        AppConfig c = AppConfig.load(yaml, Map.of("CONSENTRY_HTTP_PORT", "9100"));
        assertThat(c.get("bootstrap.servers")).isEqualTo("broker:9092");
        assertThat(c.getInt("consentry.http.port")).isEqualTo(9100);
        assertThat(c.getDuration("consentry.reminder.delay")).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.policy().groupBrands()).containsExactly("A", "B");
    }

    @Test
    void propertiesFilesAndEnvironmentNamingRules() throws Exception {
        Path props = dir.resolve("c.properties");
        Files.writeString(props, "security.protocol=SSL\nconsentry.topic.consent-events=prod.consents\n");
        AppConfig c = AppConfig.load(props, Map.of(
                "BOOTSTRAP_SERVERS", "k1:9093",
                "CONSENTRY_KAFKA_SASL_MECHANISM", "PLAIN",
                "CONSENTRY_TOPIC_SEND_DECISIONS", "prod.decisions",
                "CONSENTRY_HTTP_BEARER_TOKEN", "s3cret"));
        assertThat(c.get("bootstrap.servers")).isEqualTo("k1:9093");
        assertThat(c.topics().consentEvents()).isEqualTo("prod.consents");
        assertThat(c.topics().sendDecisions()).as("a topic renamed from the environment").isEqualTo("prod.decisions");
        assertThat(c.get("consentry.http.bearer-token")).isEqualTo("s3cret");
        Properties kafka = c.kafkaProperties();
        assertThat(kafka.getProperty("security.protocol")).isEqualTo("SSL");
        assertThat(kafka.getProperty("sasl.mechanism")).isEqualTo("PLAIN");
        assertThat(kafka.stringPropertyNames()).noneMatch(k -> k.startsWith("consentry.") || k.startsWith("policy."));
    }

    @Test
    void clearErrorsNameTheFileOrTheKey() {
        assertThatThrownBy(() -> AppConfig.load(dir.resolve("missing.yaml"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.yaml");
        AppConfig bad = AppConfig.of(Map.of("consentry.reminder.delay", "an hour"));
        assertThatThrownBy(() -> bad.topologySettings(Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consentry.reminder.delay");
        AppConfig badChannel = AppConfig.of(Map.of("consentry.reminder.channel", "FAX"));
        assertThatThrownBy(() -> badChannel.topologySettings(Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consentry.reminder.channel");
    }
}
