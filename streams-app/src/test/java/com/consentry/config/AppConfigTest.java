package com.consentry.config;

import com.consentry.ingest.EventTimeRules;

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
    void aVariableEndingInFileReadsItsValueFromThatFile() throws Exception {
        Path jaas = dir.resolve("jaas");
        Files.writeString(jaas, "ScramLoginModule required username=\"u\" password=\"p w\";\n");
        Path token = dir.resolve("token");
        Files.writeString(token, "tok-1\r\n");
        Path secret = dir.resolve("hmac");
        Files.writeString(secret, "hmac-key");
        AppConfig c = AppConfig.load(null, Map.of(
                "CONSENTRY_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString(),
                "CONSENTRY_HTTP_BEARER_TOKEN_FILE", token.toString(),
                "CONSENTRY_SUPPRESSION_SECRET_FILE", secret.toString(),
                "BOOTSTRAP_SERVERS_FILE", secret.toString(),
                "CONSENTRY_HTTP_TLS_KEYSTORE_PASSWORD_FILE", token.toString()));
        assertThat(c.kafkaProperties().getProperty("sasl.jaas.config"))
                .as("the content, without the final line break").isEqualTo("ScramLoginModule required username=\"u\" password=\"p w\";");
        assertThat(c.get("consentry.http.bearer-token")).isEqualTo("tok-1");
        assertThat(c.get("consentry.suppression.secret")).isEqualTo("hmac-key");
        assertThat(c.get("bootstrap.servers")).isEqualTo("hmac-key");
        assertThat(c.get("consentry.http.tls.keystore.password")).isEqualTo("tok-1");
        assertThat(c.all().keySet()).noneMatch(k -> k.endsWith(".file"));
        assertThat(c.kafkaProperties().stringPropertyNames()).noneMatch(k -> k.endsWith(".file"));
    }

    @Test
    void aSecretFileThatCannotBeReadOrIsSetTwiceIsRefusedWithoutItsContent() throws Exception {
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("CONSENTRY_HTTP_BEARER_TOKEN_FILE", "/nonexistent/t")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONSENTRY_HTTP_BEARER_TOKEN_FILE=/nonexistent/t");
        Path token = dir.resolve("token");
        Files.writeString(token, "tok-secret");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("CONSENTRY_HTTP_BEARER_TOKEN_FILE", token.toString(),
                "CONSENTRY_HTTP_BEARER_TOKEN", "other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONSENTRY_HTTP_BEARER_TOKEN and CONSENTRY_HTTP_BEARER_TOKEN_FILE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok-secret").doesNotContain("other"));
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

    @Test
    void theEventTimeBoundsAreSettingsAndUnusableOnesAreRefusedAtStartUp() {
        EventTimeRules defaults = AppConfig.of(Map.of()).topologySettings(Instant.EPOCH).eventTimes();
        assertThat(defaults).isEqualTo(new EventTimeRules(Duration.ofMinutes(15), Instant.parse("2100-01-01T00:00:00Z")));
        AppConfig env = AppConfig.load(null, Map.of("CONSENTRY_INGEST_MAX_FUTURE", "PT5M",
                "CONSENTRY_INGEST_MAX_EVENT_TIME", "2050-01-01T00:00:00Z"));
        assertThat(env.eventTimeRules())
                .isEqualTo(new EventTimeRules(Duration.ofMinutes(5), Instant.parse("2050-01-01T00:00:00Z")));
        for (Map.Entry<String, String> bad : Map.of("consentry.ingest.max-future", "-PT1M",
                "consentry.ingest.max-event-time", "1969-01-01T00:00:00Z").entrySet()) {
            assertThatThrownBy(() -> AppConfig.of(Map.ofEntries(bad)).topologySettings(Instant.EPOCH))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getKey());
        }
        assertThatThrownBy(() -> AppConfig.of(Map.of("consentry.ingest.max-event-time", "never")).eventTimeRules())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consentry.ingest.max-event-time=never is not an ISO-8601 instant");
    }

    @Test
    void theWallClockLeadAndTheRecordSizeLimitAreSettingsAndUnusableOnesAreRefusedAtStartUp() {
        var defaults = AppConfig.of(Map.of()).topologySettings(Instant.EPOCH);
        assertThat(defaults.maxLead()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.maxRecordBytes()).isEqualTo(256 * 1024);
        var set = AppConfig.of(Map.of("consentry.punctuate.max-lead", "PT0S", "consentry.ingest.max-record-bytes", "1000"))
                .topologySettings(Instant.EPOCH);
        assertThat(set.maxLead()).isZero();
        assertThat(set.maxRecordBytes()).isEqualTo(1000);
        assertThatThrownBy(() -> AppConfig.of(Map.of("consentry.punctuate.max-lead", "-PT1M")).topologySettings(Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consentry.punctuate.max-lead");
        assertThatThrownBy(() -> AppConfig.of(Map.of("consentry.ingest.max-record-bytes", "0")).topologySettings(Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consentry.ingest.max-record-bytes");
    }

    @Test
    void aReminderDelayMustBePositiveAndAtMostTenYears() {
        for (String delay : new String[] {"PT0S", "-PT1H", "P3651D"}) {
            assertThatThrownBy(() -> AppConfig.of(Map.of("consentry.reminder.delay", delay)).topologySettings(Instant.EPOCH))
                    .as(delay).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("consentry.reminder.delay").hasMessageContaining("positive and at most");
        }
        assertThat(AppConfig.of(Map.of("consentry.reminder.delay", "P3650D")).topologySettings(Instant.EPOCH)
                .reminderDelay()).isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void retentionLimitsHaveDefaultsTakeOffAndPeriodsAndRefuseTheRestAtStartUp() {
        // off by default: simulate and the service decide exactly as without retention
        assertThat(AppConfig.of(Map.of()).topologySettings(Instant.EPOCH).retention().any()).isFalse();
        var set = AppConfig.of(Map.of("consentry.retention.superseded", "off", "consentry.retention.orders", "P13M",
                "consentry.retention.carts", "PT36H", "consentry.retention.send-requests", "OFF"))
                .topologySettings(Instant.EPOCH).retention();
        assertThat(set.superseded().on()).isFalse();
        assertThat(set.orders().amount()).isEqualTo(java.time.Period.ofMonths(13));
        assertThat(set.carts().amount()).isEqualTo(Duration.ofHours(36));
        assertThat(set.sendRequests().on()).isFalse();
        assertThat(AppConfig.of(Map.of("consentry.retention.superseded", "off", "consentry.retention.orders", "off",
                "consentry.retention.carts", "off", "consentry.retention.send-requests", "off"))
                .topologySettings(Instant.EPOCH).retention().any()).isFalse();
        for (String bad : new String[] {"P0D", "-P1D", "PT0S", "forever", "P1Y-2M"}) {
            assertThatThrownBy(() -> AppConfig.of(Map.of("consentry.retention.carts", bad)).topologySettings(Instant.EPOCH))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("consentry.retention.carts=" + bad);
        }
    }
}
