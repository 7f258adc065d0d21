package com.consentry.api;

import com.consentry.config.AppConfig;
import com.consentry.config.TlsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpSettingsTest {
    @Test
    void defaultsListenOnLoopbackAndAdvertiseTheSameAddress() {
        HttpSettings s = HttpSettings.from(AppConfig.of(Map.of()));
        assertThat(s.applicationServer()).isEqualTo("127.0.0.1:8080");
        assertThat(s.bearerToken()).isNull();
    }

    @Test
    void theAdvertisedHostAndTokenMayComeFromTheEnvironment() {
        // CONSENTRY_HTTP_ADVERTISED_HOST and CONSENTRY_HTTP_BEARER_TOKEN become dotted keys
        AppConfig c = AppConfig.load(null, Map.of("CONSENTRY_HTTP_HOST", "0.0.0.0",
                "CONSENTRY_HTTP_ADVERTISED_HOST", "consentry-1", "CONSENTRY_HTTP_BEARER_TOKEN", "t"));
        HttpSettings s = HttpSettings.from(c);
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.applicationServer()).isEqualTo("consentry-1:8080");
        assertThat(s.bearerToken()).isEqualTo("t");
    }

    @Test
    void aKeyStoreTurnsOnHttpsAndNoMessageOrStringShowsAPasswordOrTheToken(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("api.p12");
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        try (OutputStream out = Files.newOutputStream(store)) {
            empty.store(out, "right-password".toCharArray());
        }
        HttpSettings plain = HttpSettings.from(AppConfig.of(Map.of()));
        assertThat(plain.scheme()).isEqualTo("http");
        assertThat(plain.clientTls()).isNull();

        HttpSettings s = HttpSettings.from(AppConfig.load(null, Map.of(
                "CONSENTRY_HTTP_TLS_KEYSTORE_LOCATION", store.toString(),
                "CONSENTRY_HTTP_TLS_KEYSTORE_PASSWORD", "wrong-password",
                "CONSENTRY_HTTP_BEARER_TOKEN", "the-token")));
        assertThat(s.scheme()).isEqualTo("https");
        assertThat(s.keyStore().type()).isEqualTo("PKCS12");
        assertThat(s.toString()).doesNotContain("the-token").doesNotContain("wrong-password");
        assertThat(s.keyStore().toString()).doesNotContain("wrong-password");
        assertThatThrownBy(() -> s.keyStore().load())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consentry.http.tls.keystore.location=" + store)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-password"));
        assertThatThrownBy(() -> new TlsStore("consentry.http.tls.truststore", dir.resolve("missing.p12"), "p", "PKCS12")
                .trustingContext())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }
}
