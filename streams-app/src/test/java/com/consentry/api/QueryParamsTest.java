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

    @Test
    void atMustLieInTheYears1To9999WhereEveryCustomersLocalDateExists() {
        assertThat(QueryParams.at("9999-12-31T23:59:59.999Z", NOW)).isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
        assertThat(QueryParams.at("0001-01-01T00:00:00Z", NOW)).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        // the local date of +999999999-12-31T23:59:59Z in Berlin does not exist: the age rule threw (a 500)
        assertThatThrownBy(() -> QueryParams.at("+999999999-12-31T23:59:59Z", NOW)).isInstanceOf(ApiException.class)
                .hasMessage("at: +999999999-12-31T23:59:59Z is outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> QueryParams.at("0000-12-31T23:59:59Z", NOW)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("at: 0000-12-31T23:59:59Z is outside");
    }
}
