package com.consentry.policy;

import static com.consentry.policy.Channel.EMAIL;
import static com.consentry.policy.Channel.PHONE;
import static com.consentry.policy.Channel.POST;
import static com.consentry.policy.Channel.SMS;
import static com.consentry.policy.TestCustomer.ALL;
import static com.consentry.policy.TestCustomer.MRP;
import static com.consentry.policy.TestCustomer.NAP;
import static com.consentry.policy.TestCustomer.OUTNET;
import static com.consentry.policy.TestCustomer.customer;
import static com.consentry.policy.TestCustomer.daysAgo;
import static com.consentry.policy.TestCustomer.emailHash;
import static com.consentry.policy.TestCustomer.in;
import static com.consentry.policy.TestCustomer.phoneHash;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Send decisions: service messages, then marketing eligibility, quiet hours and the frequency cap. */
class SendPolicyTest {

    private static final Instant T0 = Instant.parse("2025-06-10T12:00:00Z");

    private static SendRequest marketing(String id, String brand, Channel ch, Instant at) {
        return new SendRequest(id, brand, ch, Purpose.MARKETING, at, null);
    }

    private static SendRequest service(String id, Channel ch, Instant at, String addressHash) {
        return new SendRequest(id, NAP, ch, Purpose.SERVICE, at, addressHash);
    }

    private static SentMessage sent(String id, Channel ch, Instant at) {
        return new SentMessage(id, at, ch);
    }

    /** A customer who may receive marketing on every channel, with no timezone (UTC). */
    private static TestCustomer consenting() {
        TestCustomer c = in(null);
        for (Channel ch : Channel.values()) {
            c.grant(daysAgo(400), ALL, ch);
        }
        return c;
    }

    @Nested
    class Service {
        @ParameterizedTest
        @EnumSource(Channel.class)
        void approvedDespiteUnsubscribeAndMinor(Channel ch) {
            TestCustomer c = in(null).born(daysAgo(400), LocalDate.parse("2015-01-01")).grant(daysAgo(300), NAP, ch)
                    .unsubscribe(daysAgo(200), ALL, null);
            SendOutcome s = c.send(service("s1", ch, daysAgo(1), null), List.of());
            assertThat(s.decision()).isEqualTo(Decision.APPROVED);
            assertThat(s.reason()).isEqualTo(Reason.SERVICE);
            // the same message as marketing is stopped
            SendOutcome m = c.send(marketing("m1", NAP, ch, daysAgo(1)), List.of());
            assertThat(m.decision()).isEqualTo(Decision.SUPPRESSED);
            assertThat(m.reason()).isEqualTo(Reason.MINOR);
        }

        @Test
        void notStoppedByQuietHoursOrTheCap() {
            TestCustomer c = in(null);
            Instant night = Instant.parse("2025-06-10T23:30:00Z");
            List<SentMessage> full = List.of(sent("a", SMS, night.minusSeconds(60)), sent("b", SMS, night.minusSeconds(30)));
            SendOutcome s = c.send(service("s1", SMS, night, null), full);
            assertThat(s.decision()).isEqualTo(Decision.APPROVED);
            assertThat(s.reason()).isEqualTo(Reason.SERVICE);
        }

        @Test
        void suppressedWhenErased() {
            TestCustomer c = in(null).grant(daysAgo(10), NAP, EMAIL).erased(daysAgo(5));
            SendOutcome s = c.send(service("s1", EMAIL, daysAgo(1), null), List.of());
            assertThat(s.decision()).isEqualTo(Decision.SUPPRESSED);
            assertThat(s.reason()).isEqualTo(Reason.ERASED);
        }

        @Test
        void suppressedWhenTheCustomersAddressIsSuppressed() {
            TestCustomer c = in(null).suppress(phoneHash(TestCustomer.PHONE), daysAgo(5), SMS, PHONE);
            assertThat(c.send(service("s1", SMS, daysAgo(1), null), List.of()).reason()).isEqualTo(Reason.ADDRESS_SUPPRESSED);
            assertThat(c.send(service("s2", PHONE, daysAgo(1), null), List.of()).reason()).isEqualTo(Reason.ADDRESS_SUPPRESSED);
            // the email is not suppressed, and a suppression after the send does not count
            assertThat(c.send(service("s3", EMAIL, daysAgo(1), null), List.of()).reason()).isEqualTo(Reason.SERVICE);
            assertThat(c.send(service("s4", SMS, daysAgo(6), null), List.of()).reason()).isEqualTo(Reason.SERVICE);
        }

        @Test
        void suppressedWhenTheRequestsOwnAddressIsSuppressed() {
            String other = emailHash("Shared.Inbox@Example.com ");
            TestCustomer c = in(null).suppress(other, daysAgo(5), EMAIL);
            SendOutcome s = c.send(service("s1", EMAIL, daysAgo(1), other), List.of());
            assertThat(s.decision()).isEqualTo(Decision.SUPPRESSED);
            assertThat(s.reason()).isEqualTo(Reason.ADDRESS_SUPPRESSED);
            assertThat(c.send(service("s2", EMAIL, daysAgo(1), emailHash("fine@example.com")), List.of()).reason())
                    .isEqualTo(Reason.SERVICE);
        }
    }

    @Nested
    class Marketing {
        @Test
        void notEligibleIsSuppressedWithTheEligibilityReason() {
            TestCustomer c = in("DE").grant(daysAgo(10), NAP, EMAIL).unsubscribe(daysAgo(5), MRP, null);
            Instant night = Instant.parse("2025-06-10T23:00:00Z");
            assertThat(c.send(marketing("m1", NAP, EMAIL, night), List.of()))
                    .extracting(SendOutcome::decision, SendOutcome::reason)
                    .containsExactly(Decision.SUPPRESSED, Reason.AWAITING_CONFIRMATION);
            // in quiet hours too, the eligibility reason comes first
            assertThat(c.send(marketing("m2", MRP, SMS, night), List.of()).reason()).isEqualTo(Reason.UNSUBSCRIBED);
            assertThat(c.send(marketing("m3", OUTNET, SMS, night), List.of()).reason()).isEqualTo(Reason.NO_CONSENT);
        }

        @Test
        void approvedWithTheEligibilityReason() {
            TestCustomer c = in("US").placed(daysAgo(30), NAP).grant(daysAgo(10), MRP, SMS);
            Instant noonNy = Instant.parse("2025-06-10T16:00:00Z");
            assertThat(c.send(marketing("m1", NAP, EMAIL, noonNy), List.of()))
                    .extracting(SendOutcome::decision, SendOutcome::reason)
                    .containsExactly(Decision.APPROVED, Reason.OPT_OUT_MODEL);
            assertThat(c.send(marketing("m2", MRP, SMS, noonNy), List.of()).reason()).isEqualTo(Reason.CONSENT);
            TestCustomer gb = in("GB").placed(daysAgo(30), NAP);
            SendOutcome soft = gb.send(marketing("m3", NAP, EMAIL, noonNy), List.of());
            assertThat(soft.approved()).isTrue();
            assertThat(soft.reason()).isEqualTo(Reason.SOFT_OPT_IN);
            assertThat(soft.evidence().type()).isEqualTo(FactType.ORDER);
        }

        @Test
        void requestAddressSuppressedStopsMarketingToo() {
            String other = phoneHash("+44 7700 900 555");
            TestCustomer c = consenting().suppress(other, daysAgo(3), SMS, PHONE);
            SendRequest req = new SendRequest("m1", NAP, SMS, Purpose.MARKETING, TestCustomer.T, other);
            assertThat(c.send(req, List.of()).reason()).isEqualTo(Reason.ADDRESS_SUPPRESSED);
            SendRequest before = new SendRequest("m2", NAP, SMS, Purpose.MARKETING, daysAgo(4), other);
            assertThat(c.send(before, List.of()).reason()).isEqualTo(Reason.CONSENT);
        }
    }

    @Nested
    class QuietHours {
        @ParameterizedTest(name = "{0} local {1}: {2}")
        @CsvSource({
                "SMS, 20:59:59, CONSENT",
                "SMS, 21:00:00, QUIET_HOURS",
                "SMS, 23:59:59, QUIET_HOURS",
                "SMS, 00:00:00, QUIET_HOURS",
                "SMS, 07:59:59, QUIET_HOURS",
                "SMS, 08:00:00, CONSENT",
                "SMS, 12:00:00, CONSENT",
                "PHONE, 21:00:00, QUIET_HOURS",
                "PHONE, 07:59:59, QUIET_HOURS",
                "PHONE, 08:00:00, CONSENT",
                "PHONE, 20:59:59, CONSENT",
                "EMAIL, 21:00:00, CONSENT",
                "EMAIL, 03:00:00, CONSENT",
                "POST, 23:00:00, CONSENT",
                "TARGETED_ADS, 02:00:00, CONSENT"})
        void inTheCustomersOwnTimezone(Channel ch, String local, Reason expected) {
            ZoneId tokyo = ZoneId.of("Asia/Tokyo");
            // a US customer living in Tokyo: their own zone wins over the jurisdiction's New York
            TestCustomer c = in("US").timezone(daysAgo(500), "Asia/Tokyo");
            for (Channel any : Channel.values()) {
                c.grant(daysAgo(400), ALL, any);
            }
            Instant at = LocalDateTime.parse("2025-06-10T" + local).atZone(tokyo).toInstant();
            SendOutcome s = c.send(marketing("r", NAP, ch, at), List.of());
            assertThat(s.reason()).isEqualTo(expected);
            assertThat(s.approved()).isEqualTo(expected != Reason.QUIET_HOURS);
        }

        @Test
        void theTimezoneInForceAtTheSendCounts() {
            TestCustomer c = consenting().timezone(daysAgo(2), "America/Los_Angeles");
            Instant t = Instant.parse("2025-06-14T05:00:00Z"); // 22:00 in Los Angeles, 05:00 UTC
            assertThat(c.send(marketing("r1", NAP, SMS, t), List.of()).reason()).isEqualTo(Reason.QUIET_HOURS);
            Instant before = Instant.parse("2025-06-10T22:00:00Z"); // before the timezone was set: UTC 22:00
            assertThat(c.send(marketing("r2", NAP, SMS, before), List.of()).reason()).isEqualTo(Reason.QUIET_HOURS);
            Instant ok = Instant.parse("2025-06-14T17:00:00Z"); // 10:00 in Los Angeles, 17:00 UTC
            assertThat(c.send(marketing("r3", NAP, SMS, ok), List.of()).reason()).isEqualTo(Reason.CONSENT);
            Instant utcNight = Instant.parse("2025-06-14T22:00:00Z"); // 15:00 in Los Angeles, 22:00 UTC
            assertThat(c.send(marketing("r4", NAP, SMS, utcNight), List.of()).reason()).isEqualTo(Reason.CONSENT);
        }

        @Test
        void anUnusableStoredTimezoneFallsBackToTheJurisdiction() {
            TestCustomer c = in("US").timezone(daysAgo(500), "Not/AZone").grant(daysAgo(10), NAP, SMS);
            Instant nyNight = Instant.parse("2025-06-11T02:00:00Z"); // 22:00 in New York, 02:00 UTC
            assertThat(c.send(marketing("r1", NAP, SMS, nyNight), List.of()).reason()).isEqualTo(Reason.QUIET_HOURS);
            Instant nyAfternoon = Instant.parse("2025-06-10T22:00:00Z"); // 18:00 in New York, 22:00 UTC
            assertThat(c.send(marketing("r2", NAP, SMS, nyAfternoon), List.of()).reason()).isEqualTo(Reason.CONSENT);
        }
    }

    @Nested
    class FrequencyCap {
        @Test
        void twoEmailsPerDayAcrossBrands() {
            TestCustomer c = consenting();
            List<SentMessage> sent = List.of(sent("a", EMAIL, T0), sent("b", EMAIL, T0.plusSeconds(3600)));
            SendOutcome third = c.send(marketing("c", OUTNET, EMAIL, T0.plusSeconds(7200)), sent);
            assertThat(third.decision()).isEqualTo(Decision.SUPPRESSED);
            assertThat(third.reason()).isEqualTo(Reason.FREQUENCY_CAP);
            // one earlier email leaves room for a second
            assertThat(c.send(marketing("c", OUTNET, EMAIL, T0.plusSeconds(7200)), sent.subList(0, 1)).reason())
                    .isEqualTo(Reason.CONSENT);
        }

        @ParameterizedTest
        @EnumSource(value = Channel.class, names = {"SMS", "PHONE"})
        void oneSmsAndOnePhonePerDay(Channel ch) {
            TestCustomer c = consenting();
            List<SentMessage> sent = List.of(sent("a", ch, T0));
            assertThat(c.send(marketing("b", MRP, ch, T0.plusSeconds(60)), sent).reason()).isEqualTo(Reason.FREQUENCY_CAP);
            // other channels do not count
            Channel other = ch == SMS ? PHONE : SMS;
            assertThat(c.send(marketing("b", MRP, other, T0.plusSeconds(60)), sent).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.send(marketing("b", MRP, ch, T0.plusSeconds(60)), List.of(sent("a", EMAIL, T0))).reason())
                    .isEqualTo(Reason.CONSENT);
        }

        @Test
        void postAndTargetedAdsHaveNoCap() {
            TestCustomer c = consenting();
            List<SentMessage> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add(sent("p" + i, POST, T0.plusSeconds(i)));
                sent.add(sent("t" + i, Channel.TARGETED_ADS, T0.plusSeconds(i)));
            }
            assertThat(c.send(marketing("x", NAP, POST, T0.plusSeconds(60)), sent).approved()).isTrue();
            assertThat(c.send(marketing("y", NAP, Channel.TARGETED_ADS, T0.plusSeconds(60)), sent).approved()).isTrue();
        }

        @Test
        void aSendExactly24HoursLaterIsInANewWindow() {
            TestCustomer c = consenting();
            Duration day = Duration.ofHours(24);
            List<SentMessage> sms = List.of(sent("a", SMS, T0));
            assertThat(c.send(marketing("b", NAP, SMS, T0.plus(day)), sms).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.send(marketing("b", NAP, SMS, T0.plus(day).minusMillis(1)), sms).reason())
                    .isEqualTo(Reason.FREQUENCY_CAP);
            // and 24 h before, for a late send
            assertThat(c.send(marketing("b", NAP, SMS, T0.minus(day)), sms).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.send(marketing("b", NAP, SMS, T0.minus(day).plusMillis(1)), sms).reason())
                    .isEqualTo(Reason.FREQUENCY_CAP);

            List<SentMessage> emails = List.of(sent("a", EMAIL, T0), sent("b", EMAIL, T0.plusSeconds(3600)));
            assertThat(c.send(marketing("c", NAP, EMAIL, T0.plus(day)), emails).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.send(marketing("c", NAP, EMAIL, T0.plus(day).minusMillis(1)), emails).reason())
                    .isEqualTo(Reason.FREQUENCY_CAP);
        }

        @Test
        void aLateSendIsCheckedAgainstEveryWindowContainingIt() {
            TestCustomer c = consenting();
            Duration h = Duration.ofHours(1);
            // sent later in event time, decided earlier in arrival: the late one still shares a window
            assertThat(c.send(marketing("x", NAP, SMS, T0), List.of(sent("a", SMS, T0.plus(h.multipliedBy(10))))).reason())
                    .isEqualTo(Reason.FREQUENCY_CAP);
            // a late email between two others that are 20 h apart: the window from the first holds three
            List<SentMessage> around = List.of(sent("a", EMAIL, T0), sent("b", EMAIL, T0.plus(h.multipliedBy(20))));
            assertThat(c.send(marketing("x", NAP, EMAIL, T0.plus(h.multipliedBy(10))), around).reason())
                    .isEqualTo(Reason.FREQUENCY_CAP);
            // two emails 30 h apart: a late email between them is in no window with both
            List<SentMessage> apart = List.of(sent("a", EMAIL, T0), sent("b", EMAIL, T0.plus(h.multipliedBy(30))));
            assertThat(c.send(marketing("x", NAP, EMAIL, T0.plus(h.multipliedBy(10))), apart).reason())
                    .isEqualTo(Reason.CONSENT);
            // a late email before two close ones: the window starting at the late one holds three
            List<SentMessage> after = List.of(sent("a", EMAIL, T0.plus(h.multipliedBy(5))),
                    sent("b", EMAIL, T0.plus(h.multipliedBy(23))));
            assertThat(c.send(marketing("x", NAP, EMAIL, T0), after).reason()).isEqualTo(Reason.FREQUENCY_CAP);
            assertThat(c.send(marketing("x", NAP, EMAIL, T0.minus(h.multipliedBy(2))), after).reason())
                    .isEqualTo(Reason.CONSENT);
        }

        @Test
        void aRepeatedRequestCountsOnce() {
            TestCustomer c = consenting();
            List<SentMessage> sent = List.of(sent("r1", SMS, T0));
            assertThat(c.send(marketing("r1", NAP, SMS, T0), sent).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.send(marketing("r2", NAP, SMS, T0), sent).reason()).isEqualTo(Reason.FREQUENCY_CAP);
        }

        @Test
        void suppressedSendsDoNotCount() {
            // feeding back only what was approved, as the send gate does: a send stopped by quiet hours,
            // by eligibility or by the cap itself leaves the cap untouched
            TestCustomer c = consenting().unsubscribe(daysAgo(400).plusSeconds(1), MRP, null);
            List<SentMessage> approved = new ArrayList<>();
            Instant night = Instant.parse("2025-06-10T22:00:00Z");
            List<SendRequest> requests = List.of(
                    marketing("q", NAP, SMS, night),                        // QUIET_HOURS
                    marketing("u", MRP, SMS, night.plusSeconds(10 * 3600)),  // UNSUBSCRIBED
                    marketing("ok", NAP, SMS, night.plusSeconds(11 * 3600)), // 09:00: approved
                    marketing("cap", OUTNET, SMS, night.plusSeconds(12 * 3600)), // FREQUENCY_CAP
                    marketing("e1", NAP, EMAIL, night.plusSeconds(12 * 3600)),
                    marketing("e2", MRP, EMAIL, night.plusSeconds(13 * 3600)), // UNSUBSCRIBED
                    marketing("e3", OUTNET, EMAIL, night.plusSeconds(14 * 3600)),
                    marketing("e4", NAP, EMAIL, night.plusSeconds(15 * 3600))); // FREQUENCY_CAP
            List<Reason> reasons = new ArrayList<>();
            for (SendRequest r : requests) {
                SendOutcome o = c.send(r, approved);
                reasons.add(o.reason());
                if (o.approved()) {
                    approved.add(new SentMessage(r.requestId(), r.at(), r.channel()));
                }
            }
            assertThat(reasons).containsExactly(Reason.QUIET_HOURS, Reason.UNSUBSCRIBED, Reason.CONSENT,
                    Reason.FREQUENCY_CAP, Reason.CONSENT, Reason.UNSUBSCRIBED, Reason.CONSENT, Reason.FREQUENCY_CAP);
            assertThat(approved).extracting(SentMessage::requestId).containsExactly("ok", "e1", "e3");
        }

        @Test
        void theCapAppliesToOptOutModelSendsToo() {
            TestCustomer c = in("US");
            List<SentMessage> sent = List.of(sent("a", EMAIL, T0), sent("b", EMAIL, T0.plusSeconds(60)));
            SendOutcome s = c.send(marketing("c", NAP, EMAIL, T0.plusSeconds(120)), sent);
            assertThat(s.reason()).isEqualTo(Reason.FREQUENCY_CAP);
            assertThat(s.decision()).isEqualTo(Decision.SUPPRESSED);
        }
    }

    @Test
    void marketingIsDecidedAtTheRequestsEventTime() {
        TestCustomer c = customer().grant(daysAgo(10), NAP, EMAIL).unsubscribe(daysAgo(5), NAP, EMAIL);
        assertThat(c.send(marketing("a", NAP, EMAIL, daysAgo(6)), List.of()).reason()).isEqualTo(Reason.CONSENT);
        assertThat(c.send(marketing("b", NAP, EMAIL, daysAgo(5)), List.of()).reason()).isEqualTo(Reason.UNSUBSCRIBED);
    }
}
