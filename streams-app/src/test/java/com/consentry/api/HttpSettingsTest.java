package com.consentry.api;

import com.consentry.config.AppConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
