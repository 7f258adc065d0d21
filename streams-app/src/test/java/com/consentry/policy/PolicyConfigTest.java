package com.consentry.policy;

import static com.consentry.policy.Channel.EMAIL;
import static com.consentry.policy.Channel.PHONE;
import static com.consentry.policy.Channel.SMS;
import static com.consentry.policy.TestCustomer.NAP;
import static com.consentry.policy.TestCustomer.T;
import static com.consentry.policy.TestCustomer.daysAgo;
import static com.consentry.policy.TestCustomer.in;
import static com.consentry.policy.TestCustomer.monthsBefore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every {@code policy.*} override key of PolicyConfig's javadoc changes behaviour; bad values are refused. */
class PolicyConfigTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static SendRequest marketing(String id, Channel ch, Instant at) {
        return new SendRequest(id, NAP, ch, Purpose.MARKETING, at, null);
    }

    private static Instant local(String dateTime, ZoneId zone) {
        return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
    }

    @Test
    void defaultsAreTheTableWithNoOverrides() {
        assertThat(PolicyConfig.defaults()).isEqualTo(PolicyConfig.fromProperties(Map.of()));
        assertThat(PolicyConfig.fromProperties(Map.of("bootstrap.servers", "not a policy key", "policyish.x", "y")))
                .isEqualTo(PolicyConfig.defaults());
        assertThat(PolicyConfig.defaults().softOptInPeriod().toTotalMonths()).isEqualTo(24);
        assertThat(PolicyConfig.defaults().capWindow()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void brands() {
        assertThat(PolicyConfig.defaults().groupBrands()).containsExactly("NET-A-PORTER", "MR PORTER", "THE OUTNET");
        PolicyConfig c = PolicyConfig.fromProperties(Map.of("policy.brands", "NET-A-PORTER , B2B SHOP"));
        assertThat(c.groupBrands()).containsExactly("NET-A-PORTER", "B2B SHOP");
    }

    @Test
    void softOptInMonths() {
        TestCustomer sevenMonths = in("GB").placed(monthsBefore(T, 7), NAP);
        assertThat(sevenMonths.decide(NAP, EMAIL).reason()).isEqualTo(Reason.SOFT_OPT_IN);
        assertThat(sevenMonths.config(Map.of("policy.soft-opt-in.months", "6")).decide(NAP, EMAIL).reason())
                .isEqualTo(Reason.NO_CONSENT);
        assertThat(sevenMonths.decide(NAP, EMAIL, monthsBefore(T, 2)).reason()).isEqualTo(Reason.SOFT_OPT_IN);
        assertThat(sevenMonths.decide(NAP, EMAIL, monthsBefore(T, 1)).reason()).isEqualTo(Reason.NO_CONSENT);

        TestCustomer thirtyMonths = in("GB").placed(monthsBefore(T, 30), NAP);
        assertThat(thirtyMonths.decide(NAP, EMAIL).reason()).isEqualTo(Reason.NO_CONSENT);
        assertThat(thirtyMonths.config(Map.of("policy.soft-opt-in.months", "36")).decide(NAP, EMAIL).reason())
                .isEqualTo(Reason.SOFT_OPT_IN);
    }

    @Test
    void frequencyCapWindow() {
        Instant t0 = Instant.parse("2025-06-10T12:00:00Z");
        TestCustomer c = in(null).grant(daysAgo(30), NAP, SMS);
        List<SentMessage> sent = List.of(new SentMessage("a", t0, SMS));
        SendRequest twoHoursLater = marketing("b", SMS, t0.plus(Duration.ofHours(2)));
        assertThat(c.send(twoHoursLater, sent).reason()).isEqualTo(Reason.FREQUENCY_CAP);
        c.config(Map.of("policy.frequency-cap.window", "PT2H"));
        assertThat(c.send(twoHoursLater, sent).reason()).isEqualTo(Reason.CONSENT);
        assertThat(c.send(marketing("b", SMS, t0.plus(Duration.ofMinutes(119))), sent).reason())
                .isEqualTo(Reason.FREQUENCY_CAP);
    }

    @Test
    void countryMapsToAnExistingJurisdiction() {
        TestCustomer austrian = in("AT").grant(daysAgo(10), NAP, EMAIL);
        assertThat(austrian.decide(NAP, EMAIL).reason()).isEqualTo(Reason.CONSENT);
        assertThat(austrian.config(Map.of("policy.country.AT", "DE")).decide(NAP, EMAIL).reason())
                .isEqualTo(Reason.AWAITING_CONFIRMATION);

        TestCustomer german = in("DE").grant(daysAgo(10), NAP, EMAIL);
        assertThat(german.config(Map.of("policy.country.DE", "DEFAULT")).decide(NAP, EMAIL).reason())
                .isEqualTo(Reason.CONSENT);
    }

    @Test
    void aNewJurisdictionFromABaseAndACountryMapping() {
        Map<String, String> props = Map.of(
                "policy.jurisdiction.FR.base", "DE",
                "policy.jurisdiction.FR.timezone", "Europe/Paris",
                "policy.country.FR", "FR");
        PolicyConfig config = PolicyConfig.fromProperties(props);
        assertThat(config.rulesFor("FR").name()).isEqualTo("FR");
        assertThat(config.rulesFor("FR").timezone()).isEqualTo(ZoneId.of("Europe/Paris"));
        // the base's rules (double opt-in) ...
        TestCustomer french = in("FR").grant(daysAgo(10), NAP, EMAIL);
        assertThat(french.decide(NAP, EMAIL).reason()).isEqualTo(Reason.CONSENT);
        assertThat(french.config(config).decide(NAP, EMAIL).reason()).isEqualTo(Reason.AWAITING_CONFIRMATION);
        // ... and the base itself is unchanged
        assertThat(config.rulesFor("DE").timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));

        // without the country mapping the jurisdiction exists but nobody is in it
        PolicyConfig unmapped = PolicyConfig.fromProperties(Map.of("policy.jurisdiction.FR.base", "DE"));
        assertThat(unmapped.rulesFor("FR").name()).isEqualTo(PolicyConfig.DEFAULT);
    }

    @Test
    void aNewJurisdictionWithoutABaseStartsFromDefault() {
        PolicyConfig config = PolicyConfig.fromProperties(Map.of(
                "policy.jurisdiction.FR.channel.SMS.model", "DOUBLE_OPT_IN",
                "policy.country.FR", "FR"));
        TestCustomer c = in("FR").grant(daysAgo(10), NAP, SMS).grant(daysAgo(10), NAP, EMAIL).config(config);
        assertThat(c.decide(NAP, SMS).reason()).isEqualTo(Reason.AWAITING_CONFIRMATION);
        assertThat(c.decide(NAP, EMAIL).reason()).isEqualTo(Reason.CONSENT);
        assertThat(config.rulesFor("FR").timezone().normalized()).isEqualTo(UTC.normalized());
    }

    @Test
    void timezone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        TestCustomer c = in("DE").grant(daysAgo(10), NAP, PHONE);
        Instant ninePmTokyo = local("2025-06-10T21:00:00", tokyo); // 14:00 in Berlin
        assertThat(c.send(marketing("a", PHONE, ninePmTokyo), List.of()).reason()).isEqualTo(Reason.CONSENT);
        c.config(Map.of("policy.jurisdiction.DE.timezone", "Asia/Tokyo"));
        assertThat(c.send(marketing("a", PHONE, ninePmTokyo), List.of()).reason()).isEqualTo(Reason.QUIET_HOURS);
        // the customer's own timezone still wins
        c.timezone(daysAgo(30), "Europe/Berlin");
        assertThat(c.send(marketing("a", PHONE, ninePmTokyo), List.of()).reason()).isEqualTo(Reason.CONSENT);
    }

    @Test
    void minimumAge() {
        TestCustomer seventeen = in("DE").born(daysAgo(500), LocalDate.parse("2008-01-01")).grant(daysAgo(10), NAP, PHONE);
        assertThat(seventeen.decide(NAP, PHONE).reason()).isEqualTo(Reason.CONSENT);
        seventeen.config(Map.of("policy.jurisdiction.DE.minimum-age", "18"));
        assertThat(seventeen.decide(NAP, PHONE).reason()).isEqualTo(Reason.MINOR);
        assertThat(seventeen.decide(NAP, PHONE, Instant.parse("2026-01-01T00:00:00Z")).reason()).isEqualTo(Reason.CONSENT);
        // other jurisdictions keep 16
        TestCustomer british = in("GB").born(daysAgo(500), LocalDate.parse("2008-01-01")).grant(daysAgo(10), NAP, PHONE)
                .config(Map.of("policy.jurisdiction.DE.minimum-age", "18"));
        assertThat(british.decide(NAP, PHONE).reason()).isEqualTo(Reason.CONSENT);
    }

    @ParameterizedTest(name = "{0} {1} model={2}: {3}")
    @CsvSource({
            "DE, SMS, OPT_IN, CONSENT",
            "DE, SMS, OPT_OUT, CONSENT",
            "DEFAULT, EMAIL, DOUBLE_OPT_IN, AWAITING_CONFIRMATION",
            "US, TARGETED_ADS, DOUBLE_OPT_IN, AWAITING_CONFIRMATION"})
    void modelWithAGrant(String jurisdiction, Channel ch, ContactModel model, Reason expected) {
        String country = jurisdiction.equals("DEFAULT") ? "GB" : jurisdiction;
        TestCustomer c = in(country).grant(daysAgo(10), NAP, ch)
                .config(Map.of("policy.jurisdiction." + jurisdiction + ".channel." + ch + ".model", model.name()));
        assertThat(c.decide(NAP, ch).reason()).isEqualTo(expected);
    }

    @Test
    void modelWithNothingKnown() {
        assertThat(in("US").decide(NAP, SMS).reason()).isEqualTo(Reason.NO_CONSENT);
        assertThat(in("US").config(Map.of("policy.jurisdiction.US.channel.SMS.model", "OPT_OUT")).decide(NAP, SMS).reason())
                .isEqualTo(Reason.OPT_OUT_MODEL);
        assertThat(in("US").decide(NAP, EMAIL).reason()).isEqualTo(Reason.OPT_OUT_MODEL);
        assertThat(in("US").config(Map.of("policy.jurisdiction.US.channel.EMAIL.model", "OPT_IN")).decide(NAP, EMAIL).reason())
                .isEqualTo(Reason.NO_CONSENT);
    }

    @Test
    void softOptInPerChannel() {
        TestCustomer gb = in("GB").placed(daysAgo(30), NAP);
        assertThat(gb.decide(NAP, PHONE).reason()).isEqualTo(Reason.NO_CONSENT);
        gb.config(Map.of("policy.jurisdiction.DEFAULT.channel.PHONE.soft-opt-in", "true"));
        assertThat(gb.decide(NAP, PHONE).reason()).isEqualTo(Reason.SOFT_OPT_IN);

        TestCustomer de = in("DE").placed(daysAgo(30), NAP);
        assertThat(de.decide(NAP, EMAIL).reason()).isEqualTo(Reason.SOFT_OPT_IN);
        de.config(Map.of("policy.jurisdiction.DE.channel.EMAIL.soft-opt-in", "false"));
        assertThat(de.decide(NAP, EMAIL).reason()).isEqualTo(Reason.NO_CONSENT);
    }

    @Test
    void quietHours() {
        TestCustomer c = in("GB").grant(daysAgo(10), NAP, SMS).grant(daysAgo(10), NAP, EMAIL); // UTC
        Instant elevenPm = Instant.parse("2025-06-10T23:00:00Z");
        assertThat(c.send(marketing("a", SMS, elevenPm), List.of()).reason()).isEqualTo(Reason.QUIET_HOURS);

        c.config(Map.of("policy.jurisdiction.DEFAULT.channel.SMS.quiet-hours", "none"));
        assertThat(c.send(marketing("a", SMS, elevenPm), List.of()).reason()).isEqualTo(Reason.CONSENT);

        c.config(Map.of("policy.jurisdiction.DEFAULT.channel.SMS.quiet-hours", "22:00-07:00"));
        assertThat(c.send(marketing("a", SMS, Instant.parse("2025-06-10T21:30:00Z")), List.of()).reason())
                .isEqualTo(Reason.CONSENT);
        assertThat(c.send(marketing("a", SMS, Instant.parse("2025-06-10T22:00:00Z")), List.of()).reason())
                .isEqualTo(Reason.QUIET_HOURS);
        assertThat(c.send(marketing("a", SMS, Instant.parse("2025-06-11T06:59:59Z")), List.of()).reason())
                .isEqualTo(Reason.QUIET_HOURS);
        assertThat(c.send(marketing("a", SMS, Instant.parse("2025-06-11T07:00:00Z")), List.of()).reason())
                .isEqualTo(Reason.CONSENT);

        // a span within one day, on a channel that has none by default
        c.config(Map.of("policy.jurisdiction.DEFAULT.channel.EMAIL.quiet-hours", "12:00-13:00"));
        assertThat(c.send(marketing("a", EMAIL, Instant.parse("2025-06-10T12:30:00Z")), List.of()).reason())
                .isEqualTo(Reason.QUIET_HOURS);
        assertThat(c.send(marketing("a", EMAIL, Instant.parse("2025-06-10T13:00:00Z")), List.of()).reason())
                .isEqualTo(Reason.CONSENT);
    }

    @Test
    void cap() {
        Instant t0 = Instant.parse("2025-06-10T12:00:00Z");
        TestCustomer c = in("GB").grant(daysAgo(10), NAP, SMS).grant(daysAgo(10), NAP, EMAIL);
        List<SentMessage> sms = new ArrayList<>();
        List<SentMessage> emails = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sms.add(new SentMessage("s" + i, t0.plusSeconds(i), SMS));
            emails.add(new SentMessage("e" + i, t0.plusSeconds(i), EMAIL));
        }
        SendRequest nextSms = marketing("x", SMS, t0.plusSeconds(60));
        SendRequest nextEmail = marketing("y", EMAIL, t0.plusSeconds(60));
        assertThat(c.send(nextSms, sms).reason()).isEqualTo(Reason.FREQUENCY_CAP);
        assertThat(c.send(nextEmail, emails.subList(0, 2)).reason()).isEqualTo(Reason.FREQUENCY_CAP);

        c.config(Map.of("policy.jurisdiction.DEFAULT.channel.SMS.cap", "none",
                "policy.jurisdiction.DEFAULT.channel.EMAIL.cap", "3"));
        assertThat(c.send(nextSms, sms).reason()).isEqualTo(Reason.CONSENT);
        assertThat(c.send(nextEmail, emails.subList(0, 2)).reason()).isEqualTo(Reason.CONSENT);
        assertThat(c.send(nextEmail, emails).reason()).isEqualTo(Reason.FREQUENCY_CAP);

        c.config(Map.of("policy.jurisdiction.DEFAULT.channel.SMS.cap", "-1",
                "policy.jurisdiction.DEFAULT.channel.EMAIL.cap", "0"));
        assertThat(c.send(nextSms, sms).reason()).isEqualTo(Reason.CONSENT);
        assertThat(c.send(nextEmail, List.of()).reason()).isEqualTo(Reason.FREQUENCY_CAP);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "policy.brands|' , '",
            "policy.soft-opt-in.months|two",
            "policy.soft-opt-in.months|-1",
            "policy.soft-opt-in.weeks|3",
            "policy.frequency-cap.window|24h",
            "policy.frequency-cap.window|PT0S",
            "policy.frequency-cap.window|-PT1H",
            "policy.country.FR|NOWHERE",
            "policy.jurisdiction.FR.base|NOWHERE",
            "policy.jurisdiction.DE.timezone|Mars/Olympus",
            "policy.jurisdiction.DE.minimum-age|sixteen",
            "policy.jurisdiction.DE.minimum-age|-1",
            "policy.jurisdiction.DE.colour|red",
            "policy.jurisdiction.DE.channel.FAX.model|OPT_IN",
            "policy.jurisdiction.DE.channel.SMS.model|MAYBE",
            "policy.jurisdiction.DE.channel.SMS.soft-opt-in|perhaps",
            "policy.jurisdiction.DE.channel.SMS.quiet-hours|21:00",
            "policy.jurisdiction.DE.channel.SMS.quiet-hours|25:00-08:00",
            "policy.jurisdiction.DE.channel.SMS.cap|one",
            "policy.jurisdiction.DE.channel.SMS.colour|red",
            "policy.colour|red"})
    void aBadValueNamesItsKey(String key, String value) {
        assertThatThrownBy(() -> PolicyConfig.fromProperties(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @Test
    void aBadValueAmongGoodOnesIsStillFound() {
        assertThatThrownBy(() -> PolicyConfig.fromProperties(Map.of(
                "policy.jurisdiction.FR.base", "DE",
                "policy.country.FR", "FR",
                "policy.jurisdiction.FR.channel.EMAIL.cap", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy.jurisdiction.FR.channel.EMAIL.cap");
    }
}
