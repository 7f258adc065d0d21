package com.consentry.api;

import com.consentry.policy.Channel;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParamsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aWildcardOrBlankBrandIsABadRequest() {
        assertThatThrownBy(() -> QueryParams.brand("*")).isInstanceOf(ApiException.class)
                .hasMessage("brand: '*' is not allowed here, a concrete brand is needed")
                .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> QueryParams.brand(" ")).hasMessage("brand: missing");
        assertThat(QueryParams.brand("MR PORTER")).isEqualTo("MR PORTER");
    }

    @Test
    void anUnknownChannelNamesTheValidOnes() {
        assertThat(QueryParams.channel("SMS")).isEqualTo(Channel.SMS);
        assertThatThrownBy(() -> QueryParams.channel("FAX"))
                .hasMessage("channel: unknown value 'FAX' (one of EMAIL, SMS, POST, PHONE, TARGETED_ADS)");
    }

    @Test
    void atDefaultsToNowAndAcceptsOffsetsEvenWhenThePlusArrivedAsASpace() {
        assertThat(QueryParams.at(null, NOW)).isEqualTo(NOW);
        assertThat(QueryParams.at("2026-03-01T11:00:00+01:00", NOW)).isEqualTo(NOW);
        assertThat(QueryParams.at("2026-03-01T11:00:00 01:00", NOW)).isEqualTo(NOW);
        assertThatThrownBy(() -> QueryParams.at("yesterday", NOW)).isInstanceOf(ApiException.class)
                .hasMessage("at: 'yesterday' is not an ISO-8601 instant (e.g. 2026-03-01T10:00:00Z)");
    }
}
