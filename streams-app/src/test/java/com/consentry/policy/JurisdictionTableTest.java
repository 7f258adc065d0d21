package com.consentry.policy;

import static com.consentry.policy.Channel.EMAIL;
import static com.consentry.policy.Channel.PHONE;
import static com.consentry.policy.Channel.POST;
import static com.consentry.policy.Channel.SMS;
import static com.consentry.policy.Channel.TARGETED_ADS;
import static com.consentry.policy.ContactModel.DOUBLE_OPT_IN;
import static com.consentry.policy.ContactModel.OPT_IN;
import static com.consentry.policy.ContactModel.OPT_OUT;
import static com.consentry.policy.TestCustomer.NAP;
import static com.consentry.policy.TestCustomer.daysAgo;
import static com.consentry.policy.TestCustomer.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jurisdiction table of eligibility-policy.md, cell by cell: how each channel is treated (opt-in,
 * double opt-in, opt-out model; soft opt-in or not) and each jurisdiction's default timezone.
 */
class JurisdictionTableTest {

    /** A country of each jurisdiction; GB stands for DEFAULT. */
    static Stream<Arguments> cells() {
        return Stream.of(
                arguments("GB", EMAIL, OPT_IN, true),
                arguments("GB", SMS, OPT_IN, true),
                arguments("GB", PHONE, OPT_IN, false),
                arguments("GB", POST, OPT_OUT, false),
                arguments("GB", TARGETED_ADS, OPT_IN, false),
                arguments("DE", EMAIL, DOUBLE_OPT_IN, true),
                arguments("DE", SMS, DOUBLE_OPT_IN, false),
                arguments("DE", PHONE, OPT_IN, false),
                arguments("DE", POST, OPT_OUT, false),
                arguments("DE", TARGETED_ADS, OPT_IN, false),
                arguments("US", EMAIL, OPT_OUT, false),
                arguments("US", SMS, OPT_IN, false),
                arguments("US", PHONE, OPT_IN, false),
                arguments("US", POST, OPT_OUT, false),
                arguments("US", TARGETED_ADS, OPT_OUT, false));
    }

    @ParameterizedTest(name = "{0} {1}: {2}, soft opt-in {3}")
    @MethodSource("cells")
    void cell(String country, Channel ch, ContactModel model, boolean softOptIn) {
        // with nothing known
        Answer nothing = in(country).decide(NAP, ch);
        assertThat(nothing.reason()).isEqualTo(model == OPT_OUT ? Reason.OPT_OUT_MODEL : Reason.NO_CONSENT);
        assertThat(nothing.eligible()).isEqualTo(model == OPT_OUT);

        // with an explicit grant only
        Answer granted = in(country).grant(daysAgo(10), NAP, ch).decide(NAP, ch);
        assertThat(granted.reason()).isEqualTo(model == DOUBLE_OPT_IN ? Reason.AWAITING_CONFIRMATION : Reason.CONSENT);

        // with a confirmed grant
        Answer confirmed = in(country).grant(daysAgo(10), NAP, ch).confirm(daysAgo(9), NAP, ch).decide(NAP, ch);
        assertThat(confirmed.reason()).isEqualTo(Reason.CONSENT);

        // with a recent order for the brand and no consent
        Answer ordered = in(country).placed(daysAgo(30), NAP).decide(NAP, ch);
        Reason withoutSoft = model == OPT_OUT ? Reason.OPT_OUT_MODEL : Reason.NO_CONSENT;
        assertThat(ordered.reason()).isEqualTo(softOptIn ? Reason.SOFT_OPT_IN : withoutSoft);
        assertThat(ordered.eligible()).isEqualTo(softOptIn || model == OPT_OUT);

        // and the configuration says the same
        ChannelRule rule = PolicyConfig.defaults().rulesFor(country).channel(ch);
        assertThat(rule.model()).isEqualTo(model);
        if (model != OPT_OUT) {
            assertThat(rule.softOptIn()).isEqualTo(softOptIn);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"GB, UTC", "DE, Europe/Berlin", "US, America/New_York"})
    void defaultTimezone(String country, String zone) {
        ZoneId z = ZoneId.of(zone);
        assertThat(PolicyConfig.defaults().rulesFor(country).timezone().normalized()).isEqualTo(z.normalized());

        // a customer without a timezone gets quiet hours in the jurisdiction's zone (summer, so offsets differ)
        TestCustomer c = in(country).grant(daysAgo(10), NAP, SMS).confirm(daysAgo(9), NAP, SMS);
        Instant ninePm = LocalDateTime.parse("2025-06-15T21:00:00").atZone(z).toInstant();
        assertThat(c.send(sms("r1", ninePm), List.of()).reason()).isEqualTo(Reason.QUIET_HOURS);
        assertThat(c.send(sms("r2", ninePm.minusSeconds(1)), List.of()).reason()).isEqualTo(Reason.CONSENT);

        // and is 16 from midnight of their birthday in that zone
        TestCustomer teen = in(country).born(TestCustomer.LONG_AGO, LocalDate.parse("2009-06-15")).grant(daysAgo(10), NAP, PHONE);
        Instant midnight = LocalDate.parse("2025-06-15").atStartOfDay(z).toInstant();
        assertThat(teen.decide(NAP, PHONE, midnight.minusSeconds(1)).reason()).isEqualTo(Reason.MINOR);
        assertThat(teen.decide(NAP, PHONE, midnight).reason()).isEqualTo(Reason.CONSENT);
    }

    @ParameterizedTest(name = "country {0} uses DEFAULT")
    @CsvSource(value = {"FR", "CH", "BR", "JP", "XX", "NULL"}, nullValues = "NULL")
    void unknownOrAbsentCountryUsesDefault(String country) {
        assertThat(PolicyConfig.defaults().rulesFor(country).name()).isEqualTo(PolicyConfig.DEFAULT);
        // DEFAULT, not DE (double opt-in) and not US (opt-out model)
        assertThat(in(country).grant(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL).reason()).isEqualTo(Reason.CONSENT);
        assertThat(in(country).decide(NAP, EMAIL).reason()).isEqualTo(Reason.NO_CONSENT);
        assertThat(in(country).placed(daysAgo(30), NAP).decide(NAP, SMS).reason()).isEqualTo(Reason.SOFT_OPT_IN);
        // and UTC for quiet hours
        TestCustomer c = in(country).grant(daysAgo(10), NAP, SMS);
        assertThat(c.send(sms("r1", Instant.parse("2025-06-15T21:00:00Z")), List.of()).reason())
                .isEqualTo(Reason.QUIET_HOURS);
        assertThat(c.send(sms("r2", Instant.parse("2025-06-15T20:59:59Z")), List.of()).reason())
                .isEqualTo(Reason.CONSENT);
    }

    @Test
    void aCustomerWithNoProfileAtAllUsesDefault() {
        TestCustomer c = TestCustomer.customer().placed(daysAgo(30), NAP);
        assertThat(c.decide(NAP, EMAIL).reason()).isEqualTo(Reason.SOFT_OPT_IN);
        assertThat(c.decide(NAP, TARGETED_ADS).reason()).isEqualTo(Reason.NO_CONSENT);
        assertThat(c.decide(NAP, POST).reason()).isEqualTo(Reason.OPT_OUT_MODEL);
    }

    @Test
    void theJurisdictionFollowsTheCountryAtT() {
        TestCustomer c = in("US").country(daysAgo(5), "DE").grant(daysAgo(10), NAP, EMAIL);
        assertThat(c.decide(NAP, EMAIL, daysAgo(6)).reason()).isEqualTo(Reason.CONSENT);
        assertThat(c.decide(NAP, EMAIL).reason()).isEqualTo(Reason.AWAITING_CONFIRMATION);
        // a cleared country falls back to DEFAULT
        c.country(daysAgo(1), null);
        assertThat(c.decide(NAP, EMAIL).reason()).isEqualTo(Reason.CONSENT);
        assertThat(c.decide(NAP, TARGETED_ADS).reason()).isEqualTo(Reason.NO_CONSENT);
    }

    private static SendRequest sms(String id, Instant at) {
        return new SendRequest(id, NAP, SMS, Purpose.MARKETING, at, null);
    }
}
