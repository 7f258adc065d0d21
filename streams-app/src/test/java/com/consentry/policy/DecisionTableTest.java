package com.consentry.policy;

import static com.consentry.policy.Channel.EMAIL;
import static com.consentry.policy.Channel.PHONE;
import static com.consentry.policy.Channel.POST;
import static com.consentry.policy.Channel.SMS;
import static com.consentry.policy.Channel.TARGETED_ADS;
import static com.consentry.policy.TestCustomer.ALL;
import static com.consentry.policy.TestCustomer.MRP;
import static com.consentry.policy.TestCustomer.NAP;
import static com.consentry.policy.TestCustomer.OUTNET;
import static com.consentry.policy.TestCustomer.T;
import static com.consentry.policy.TestCustomer.customer;
import static com.consentry.policy.TestCustomer.daysAgo;
import static com.consentry.policy.TestCustomer.emailHash;
import static com.consentry.policy.TestCustomer.in;
import static com.consentry.policy.TestCustomer.monthsBefore;
import static com.consentry.policy.TestCustomer.phoneHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decision table of eligibility-policy.md, one case per situation. Each case names the line that
 * must decide it; the comment after it says what the answer would be if that line were missing, so
 * that every case depends on its line.
 */
class DecisionTableTest {

    private static final Set<Reason> YES = EnumSet.of(Reason.CONSENT, Reason.SOFT_OPT_IN, Reason.OPT_OUT_MODEL);
    private static final String B2B = "B2B SHOP";
    /** 03:00Z on the 15th: still the 14th in Los Angeles and New York, the 15th in UTC. */
    private static final Instant LA_EVENING = Instant.parse("2025-06-15T03:00:00Z");
    private static final LocalDate SIXTEENTH_BIRTHDAY_15TH = LocalDate.parse("2009-06-15");

    private static Arguments row(int line, String situation, Reason expected, Supplier<Answer> decide) {
        return arguments(line, Named.of(situation, decide), expected);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // ---- line 1: ERASED ---------------------------------------------------------------
                row(1, "erased customer: even the opt-out-model POST is refused", Reason.ERASED,
                        // without line 1: OPT_OUT_MODEL (the deleted history says nothing)
                        () -> in(null).grant(daysAgo(10), NAP, EMAIL).erased(daysAgo(5)).decide(NAP, POST)),
                row(1, "erased, and the only later fact is after T", Reason.ERASED,
                        // without line 1: NO_CONSENT
                        () -> in(null).grant(daysAgo(10), NAP, EMAIL).erased(daysAgo(5)).cart(daysAgo(1), NAP)
                                .decide(NAP, EMAIL, daysAgo(2))),
                row(1, "erased at exactly T", Reason.ERASED,
                        // without line 1: OPT_OUT_MODEL
                        () -> in(null).erased(T).decide(NAP, POST)),

                // ---- line 2: MINOR ----------------------------------------------------------------
                row(2, "16th birthday in UTC but still 15 on the local date in Los Angeles", Reason.MINOR,
                        // without line 2: CONSENT
                        () -> in("GB").timezone(TestCustomer.LONG_AGO, "America/Los_Angeles")
                                .born(TestCustomer.LONG_AGO, SIXTEENTH_BIRTHDAY_15TH).grant(daysAgo(10), NAP, EMAIL)
                                .decide(NAP, EMAIL, LA_EVENING)),
                row(2, "no timezone: the US default zone (New York) still says the 14th", Reason.MINOR,
                        // without line 2: OPT_OUT_MODEL (US email)
                        () -> in("US").born(TestCustomer.LONG_AGO, SIXTEENTH_BIRTHDAY_15TH).decide(NAP, EMAIL, LA_EVENING)),
                row(2, "minor with a suppressed address: MINOR comes first", Reason.MINOR,
                        // without line 2: ADDRESS_SUPPRESSED
                        () -> in(null).born(TestCustomer.LONG_AGO, LocalDate.parse("2015-01-01"))
                                .suppress(emailHash(TestCustomer.EMAIL), daysAgo(1), EMAIL).decide(NAP, EMAIL)),

                // ---- line 3: ADDRESS_SUPPRESSED ---------------------------------------------------
                row(3, "email suppressed after an otherwise valid consent", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: CONSENT
                        () -> in(null).grant(daysAgo(10), NAP, EMAIL)
                                .suppress(emailHash(TestCustomer.EMAIL), daysAgo(1), EMAIL).decide(NAP, EMAIL)),
                row(3, "US email (opt-out model) suppressed", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: OPT_OUT_MODEL
                        () -> in("US").suppress(emailHash(" JANE@example.com "), daysAgo(1), EMAIL)
                                .decide(NAP, EMAIL)),
                row(3, "phone suppressed for SMS", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: CONSENT
                        () -> in(null).grant(daysAgo(10), NAP, SMS)
                                .suppress(phoneHash(TestCustomer.PHONE), daysAgo(1), SMS, PHONE).decide(NAP, SMS)),
                row(3, "the request's own address is suppressed", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: CONSENT
                        () -> in(null).grant(daysAgo(10), NAP, EMAIL)
                                .suppress(emailHash("other@example.com"), daysAgo(1), EMAIL)
                                .decide(NAP, EMAIL, T, emailHash("other@example.com"))),
                row(3, "recent order, but the email is suppressed", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: SOFT_OPT_IN
                        () -> in(null).placed(daysAgo(30), NAP).suppress(emailHash(TestCustomer.EMAIL), daysAgo(1), EMAIL)
                                .decide(NAP, EMAIL)),
                row(3, "a grant newer than the suppression, but expired: not in effect", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: EXPIRED
                        () -> in(null).suppress(emailHash(TestCustomer.EMAIL), daysAgo(10), EMAIL)
                                .grantUntil(daysAgo(5), NAP, EMAIL, daysAgo(1)).decide(NAP, EMAIL)),
                row(3, "DE: a grant newer than the suppression, unconfirmed: not in effect", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: AWAITING_CONFIRMATION
                        () -> in("DE").suppress(emailHash(TestCustomer.EMAIL), daysAgo(10), EMAIL)
                                .grant(daysAgo(5), NAP, EMAIL).decide(NAP, EMAIL)),
                row(3, "a newer grant for another brand does not lift the suppression", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: CONSENT (the older NAP grant)
                        () -> in(null).grant(daysAgo(20), NAP, EMAIL).suppress(emailHash(TestCustomer.EMAIL), daysAgo(10), EMAIL)
                                .grant(daysAgo(5), MRP, EMAIL).decide(NAP, EMAIL)),
                row(3, "a grant at exactly the suppression's time is not newer", Reason.ADDRESS_SUPPRESSED,
                        // without line 3: CONSENT
                        () -> in(null).suppress(emailHash(TestCustomer.EMAIL), daysAgo(10), EMAIL)
                                .grant(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL)),

                // ---- line 4: UNSUBSCRIBED ---------------------------------------------------------
                row(4, "grant, then unsubscribe", Reason.UNSUBSCRIBED,
                        // without line 4: NO_CONSENT (the newest fact is no grant)
                        () -> customer().grant(daysAgo(10), NAP, EMAIL).unsubscribe(daysAgo(1), NAP, EMAIL)
                                .decide(NAP, EMAIL)),
                row(4, "unsubscribe and grant at the same event time, grant arrives last", Reason.UNSUBSCRIBED,
                        // without line 4 (or with arrival order deciding): CONSENT
                        () -> customer().unsubscribe(daysAgo(1), NAP, EMAIL).grant(daysAgo(1), NAP, EMAIL)
                                .decide(NAP, EMAIL)),
                row(4, "unsubscribe and WITHDRAWN at the same event time, WITHDRAWN arrives last", Reason.UNSUBSCRIBED,
                        // without line 4: WITHDRAWN
                        () -> customer().unsubscribe(daysAgo(1), NAP, EMAIL).withdraw(daysAgo(1), NAP, EMAIL)
                                .decide(NAP, EMAIL)),
                row(4, "a GRANTED that arrives late with an older event time does not re-enable", Reason.UNSUBSCRIBED,
                        // without line 4: CONSENT
                        () -> customer().grant(daysAgo(10), NAP, EMAIL).unsubscribe(daysAgo(5), NAP, EMAIL)
                                .grant(daysAgo(7), NAP, EMAIL).decide(NAP, EMAIL)),
                row(4, "opt-out model respects an unsubscribe (US email)", Reason.UNSUBSCRIBED,
                        // without line 4: OPT_OUT_MODEL
                        () -> in("US").unsubscribe(daysAgo(1), NAP, EMAIL).decide(NAP, EMAIL)),
                row(4, "opt-out model respects an unsubscribe (POST, no channel named)", Reason.UNSUBSCRIBED,
                        // without line 4: OPT_OUT_MODEL
                        () -> in(null).unsubscribe(daysAgo(1), NAP, null).decide(NAP, POST)),
                row(4, "'*' unsubscribe with no channel covers an unconfigured brand's SMS", Reason.UNSUBSCRIBED,
                        // without line 4: NO_CONSENT
                        () -> customer().grant(daysAgo(10), B2B, SMS).unsubscribe(daysAgo(1), ALL, null).decide(B2B, SMS)),
                row(4, "an unsubscribe at exactly T counts", Reason.UNSUBSCRIBED,
                        // without line 4: NO_CONSENT
                        () -> customer().grant(daysAgo(10), NAP, EMAIL).unsubscribe(T, NAP, EMAIL).decide(NAP, EMAIL)),
                row(4, "an opt-out between grant and confirmation (DE)", Reason.UNSUBSCRIBED,
                        // without line 4: NO_CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).unsubscribe(daysAgo(9), NAP, EMAIL)
                                .confirm(daysAgo(8), NAP, EMAIL).decide(NAP, EMAIL)),

                // ---- line 5: WITHDRAWN ------------------------------------------------------------
                row(5, "grant, then withdraw", Reason.WITHDRAWN,
                        // without line 5: NO_CONSENT
                        () -> customer().grant(daysAgo(10), NAP, EMAIL).withdraw(daysAgo(1), NAP, EMAIL).decide(NAP, EMAIL)),
                row(5, "WITHDRAWN and GRANTED at the same event time, grant arrives last", Reason.WITHDRAWN,
                        // without line 5 (or with arrival order deciding): CONSENT
                        () -> customer().withdraw(daysAgo(1), NAP, EMAIL).grant(daysAgo(1), NAP, EMAIL).decide(NAP, EMAIL)),
                row(5, "opt-out model respects a WITHDRAWN (US targeted ads)", Reason.WITHDRAWN,
                        // without line 5: OPT_OUT_MODEL
                        () -> in("US").withdraw(daysAgo(1), NAP, TARGETED_ADS).decide(NAP, TARGETED_ADS)),
                row(5, "'*' WITHDRAWN covers a brand-specific grant", Reason.WITHDRAWN,
                        // without line 5: NO_CONSENT
                        () -> customer().grant(daysAgo(10), MRP, SMS).withdraw(daysAgo(1), ALL, SMS).decide(MRP, SMS)),
                row(5, "order, opt-out, re-grant, withdraw", Reason.WITHDRAWN,
                        // without line 5: NO_CONSENT (soft opt-in is gone since the unsubscribe)
                        () -> customer().placed(daysAgo(30), NAP).unsubscribe(daysAgo(20), NAP, EMAIL)
                                .grant(daysAgo(10), NAP, EMAIL).withdraw(daysAgo(5), NAP, EMAIL).decide(NAP, EMAIL)),
                row(5, "an opt-out (WITHDRAWN) between grant and confirmation (DE)", Reason.WITHDRAWN,
                        // without line 5: NO_CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).withdraw(daysAgo(9), NAP, EMAIL)
                                .confirm(daysAgo(8), NAP, EMAIL).decide(NAP, EMAIL)),

                // ---- line 6: CONSENT --------------------------------------------------------------
                row(6, "explicit grant", Reason.CONSENT,
                        // without line 6: NO_CONSENT
                        () -> customer().grant(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL)),
                row(6, "a newer grant after an unsubscribe", Reason.CONSENT,
                        // without line 6: NO_CONSENT
                        () -> customer().unsubscribe(daysAgo(10), NAP, EMAIL).grant(daysAgo(5), NAP, EMAIL).decide(NAP, EMAIL)),
                row(6, "equal grants: the unexpiring one arrives last and counts", Reason.CONSENT,
                        // without line 6: EXPIRED; with first arrival counting: EXPIRED
                        () -> customer().grantUntil(daysAgo(5), NAP, EMAIL, daysAgo(1)).grant(daysAgo(5), NAP, EMAIL)
                                .decide(NAP, EMAIL)),
                row(6, "'*' grant for a brand nobody configured", Reason.CONSENT,
                        // without line 6: NO_CONSENT
                        () -> customer().grant(daysAgo(5), ALL, SMS).decide(B2B, SMS)),
                row(6, "grant expiring one second after T", Reason.CONSENT,
                        // without line 6: NO_CONSENT
                        () -> customer().grantUntil(daysAgo(5), NAP, EMAIL, T.plusSeconds(1)).decide(NAP, EMAIL)),
                row(6, "16 on the local date in Auckland although still 15 in UTC", Reason.CONSENT,
                        // with the age taken in UTC: MINOR
                        () -> in(null).timezone(TestCustomer.LONG_AGO, "Pacific/Auckland").born(TestCustomer.LONG_AGO, SIXTEENTH_BIRTHDAY_15TH)
                                .grant(Instant.parse("2025-06-01T00:00:00Z"), NAP, EMAIL)
                                .decide(NAP, EMAIL, Instant.parse("2025-06-14T13:00:00Z"))),
                row(6, "a grant newer than the suppression is in effect", Reason.CONSENT,
                        // without the exception of line 3: ADDRESS_SUPPRESSED
                        () -> in(null).suppress(emailHash(TestCustomer.EMAIL), daysAgo(10), EMAIL).grant(daysAgo(5), NAP, EMAIL)
                                .decide(NAP, EMAIL)),
                row(6, "a '*' grant newer than the suppression is in effect", Reason.CONSENT,
                        // without the exception of line 3: ADDRESS_SUPPRESSED
                        () -> in(null).suppress(phoneHash(TestCustomer.PHONE), daysAgo(10), SMS, PHONE).grant(daysAgo(5), ALL, PHONE)
                                .decide(OUTNET, PHONE)),
                row(6, "DE: a confirmed grant newer than the suppression is in effect", Reason.CONSENT,
                        // without the exception of line 3: ADDRESS_SUPPRESSED
                        () -> in("DE").suppress(emailHash(TestCustomer.EMAIL), daysAgo(10), EMAIL).grant(daysAgo(5), NAP, EMAIL)
                                .confirm(daysAgo(4), NAP, EMAIL).decide(NAP, EMAIL)),
                row(6, "DE: grant then confirmation", Reason.CONSENT,
                        // without line 6: NO_CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).confirm(daysAgo(9), NAP, EMAIL).decide(NAP, EMAIL)),
                row(6, "DE: the confirmation arrives before its grant but has a later event time", Reason.CONSENT,
                        // following arrival order: AWAITING_CONFIRMATION
                        () -> in("DE").confirm(daysAgo(9), NAP, EMAIL).grant(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL)),
                row(6, "DE: two grants, the confirmation confirms the newer one", Reason.CONSENT,
                        // confirming the oldest instead: AWAITING_CONFIRMATION
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).grant(daysAgo(8), NAP, EMAIL).confirm(daysAgo(5), NAP, EMAIL)
                                .decide(NAP, EMAIL)),
                row(6, "DE: a '*' grant with a '*' confirmation covers every brand", Reason.CONSENT,
                        // without line 6: NO_CONSENT
                        () -> in("DE").grant(daysAgo(10), ALL, EMAIL).confirm(daysAgo(9), ALL, EMAIL).decide(MRP, EMAIL)),
                row(6, "grant and a recent order: the grant decides", Reason.CONSENT,
                        // without line 6: SOFT_OPT_IN
                        () -> customer().placed(daysAgo(30), NAP).grant(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL)),

                // ---- line 7: SOFT_OPT_IN ----------------------------------------------------------
                row(7, "recent order for the brand", Reason.SOFT_OPT_IN,
                        // without line 7: NO_CONSENT
                        () -> in("GB").placed(daysAgo(30), NAP).decide(NAP, EMAIL)),
                row(7, "order one second inside the 24 months", Reason.SOFT_OPT_IN,
                        // without line 7: NO_CONSENT
                        () -> customer().placed(monthsBefore(T, 24).plusSeconds(1), NAP).decide(NAP, SMS)),
                row(7, "a later CANCELLED does not undo the PLACED", Reason.SOFT_OPT_IN,
                        // without line 7 or with the cancellation undoing it: NO_CONSENT
                        () -> customer().placed(daysAgo(30), NAP).order(daysAgo(20), NAP, OrderStatus.CANCELLED).decide(NAP, EMAIL)),
                row(7, "a later RETURNED does not undo the PLACED", Reason.SOFT_OPT_IN,
                        // without line 7: NO_CONSENT
                        () -> customer().placed(daysAgo(30), NAP).order(daysAgo(20), NAP, OrderStatus.RETURNED).decide(NAP, EMAIL)),
                row(7, "an opt-out of another channel does not stop the soft opt-in", Reason.SOFT_OPT_IN,
                        // without line 7: NO_CONSENT
                        () -> customer().placed(daysAgo(30), NAP).unsubscribe(daysAgo(20), NAP, SMS).decide(NAP, EMAIL)),
                row(7, "an opt-out of another brand does not stop the soft opt-in", Reason.SOFT_OPT_IN,
                        // without line 7: NO_CONSENT
                        () -> customer().placed(daysAgo(30), NAP).withdraw(daysAgo(20), MRP, EMAIL).decide(NAP, EMAIL)),
                row(7, "DE email: unconfirmed grant, recent order", Reason.SOFT_OPT_IN,
                        // without line 7: AWAITING_CONFIRMATION
                        () -> in("DE").placed(daysAgo(30), NAP).grant(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL)),
                row(7, "expired grant, recent order", Reason.SOFT_OPT_IN,
                        // without line 7: EXPIRED
                        () -> customer().grantUntil(daysAgo(100), NAP, EMAIL, daysAgo(50)).placed(daysAgo(30), NAP)
                                .decide(NAP, EMAIL)),

                // ---- line 8: AWAITING_CONFIRMATION ------------------------------------------------
                row(8, "DE email grant without confirmation", Reason.AWAITING_CONFIRMATION,
                        // without line 8: NO_CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL)),
                row(8, "DE: a CONFIRMED without an earlier GRANTED confirms nothing", Reason.AWAITING_CONFIRMATION,
                        // confirming the later grant: CONSENT
                        () -> in("DE").confirm(daysAgo(12), NAP, EMAIL).grant(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL)),
                row(8, "DE: the confirmation belongs to an older grant, not the newest", Reason.AWAITING_CONFIRMATION,
                        // carrying the confirmation over: CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).confirm(daysAgo(9), NAP, EMAIL).grant(daysAgo(8), NAP, EMAIL)
                                .decide(NAP, EMAIL)),
                row(8, "DE: a '*' grant needs a '*' confirmation", Reason.AWAITING_CONFIRMATION,
                        // matching by covered brand: CONSENT
                        () -> in("DE").grant(daysAgo(10), ALL, EMAIL).confirm(daysAgo(9), NAP, EMAIL).decide(NAP, EMAIL)),
                row(8, "DE: a '*' confirmation does not confirm a brand grant", Reason.AWAITING_CONFIRMATION,
                        // matching by covered brand: CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).confirm(daysAgo(9), ALL, EMAIL).decide(NAP, EMAIL)),
                row(8, "DE: a confirmation of another channel", Reason.AWAITING_CONFIRMATION,
                        // ignoring the channel: CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).confirm(daysAgo(9), NAP, SMS).decide(NAP, EMAIL)),
                row(8, "DE: the confirmation comes after T", Reason.AWAITING_CONFIRMATION,
                        // using facts after T: CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).confirm(T.plusSeconds(1), NAP, EMAIL).decide(NAP, EMAIL)),
                row(8, "DE: opt-out between grant and confirmation, then a new grant", Reason.AWAITING_CONFIRMATION,
                        // confirming across the opt-out: CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).unsubscribe(daysAgo(9), NAP, EMAIL)
                                .confirm(daysAgo(8), NAP, EMAIL).grant(daysAgo(5), NAP, EMAIL).decide(NAP, EMAIL)),
                row(8, "DE: a CONFIRMED at the same event time as the grant is not after it (fail closed)",
                        Reason.AWAITING_CONFIRMATION,
                        // reading 'before' as 'at or before': CONSENT
                        () -> in("DE").grant(daysAgo(10), NAP, EMAIL).confirm(daysAgo(10), NAP, EMAIL).decide(NAP, EMAIL)),
                row(8, "DE SMS (no soft opt-in there): unconfirmed grant, recent order", Reason.AWAITING_CONFIRMATION,
                        // with soft opt-in: SOFT_OPT_IN; without line 8: NO_CONSENT
                        () -> in("DE").placed(daysAgo(30), NAP).grant(daysAgo(10), NAP, SMS).decide(NAP, SMS)),

                // ---- line 9: OPT_OUT_MODEL --------------------------------------------------------
                row(9, "POST with no facts", Reason.OPT_OUT_MODEL,
                        // without line 9: NO_CONSENT
                        () -> in(null).decide(NAP, POST)),
                row(9, "US email with no facts", Reason.OPT_OUT_MODEL,
                        // without line 9: NO_CONSENT
                        () -> in("US").decide(NAP, EMAIL)),
                row(9, "US targeted ads with no facts", Reason.OPT_OUT_MODEL,
                        // without line 9: NO_CONSENT
                        () -> in("US").decide(NAP, TARGETED_ADS)),
                row(9, "POST: an email unsubscribe does not cover it", Reason.OPT_OUT_MODEL,
                        // unsubscribes ignoring the channel: UNSUBSCRIBED
                        () -> in(null).unsubscribe(daysAgo(1), NAP, EMAIL).decide(NAP, POST)),
                row(9, "US email: an unsubscribe of another brand does not cover it", Reason.OPT_OUT_MODEL,
                        // unsubscribes ignoring the brand: UNSUBSCRIBED
                        () -> in("US").unsubscribe(daysAgo(1), MRP, EMAIL).decide(NAP, EMAIL)),
                row(9, "POST with an expired grant: line 9 comes before line 10", Reason.OPT_OUT_MODEL,
                        // without line 9: EXPIRED
                        () -> in(null).grantUntil(daysAgo(10), NAP, POST, daysAgo(1)).decide(NAP, POST)),

                // ---- line 10: EXPIRED -------------------------------------------------------------
                row(10, "grant whose expiresAt is exactly T", Reason.EXPIRED,
                        // without line 10: NO_CONSENT
                        () -> customer().grantUntil(daysAgo(10), NAP, EMAIL, T).decide(NAP, EMAIL)),
                row(10, "DE: confirmed grant, expired", Reason.EXPIRED,
                        // without line 10: NO_CONSENT
                        () -> in("DE").grantUntil(daysAgo(10), NAP, EMAIL, daysAgo(1)).confirm(daysAgo(9), NAP, EMAIL)
                                .decide(NAP, EMAIL)),
                row(10, "DE: unconfirmed grant, expired", Reason.EXPIRED,
                        // without line 10: NO_CONSENT
                        () -> in("DE").grantUntil(daysAgo(10), NAP, EMAIL, daysAgo(1)).decide(NAP, EMAIL)),
                row(10, "equal grants: the expired one arrives last and counts", Reason.EXPIRED,
                        // with first arrival counting: CONSENT
                        () -> customer().grant(daysAgo(5), NAP, EMAIL).grantUntil(daysAgo(5), NAP, EMAIL, daysAgo(1))
                                .decide(NAP, EMAIL)),
                row(10, "soft opt-in gone after an opt-out, even with a later (now expired) grant", Reason.EXPIRED,
                        // soft opt-in forgetting the opt-out: SOFT_OPT_IN
                        () -> customer().placed(daysAgo(30), NAP).unsubscribe(daysAgo(20), NAP, EMAIL)
                                .grantUntil(daysAgo(10), NAP, EMAIL, daysAgo(1)).decide(NAP, EMAIL)),
                row(10, "an opt-out before the order also rules out soft opt-in", Reason.EXPIRED,
                        // soft opt-in forgetting the opt-out: SOFT_OPT_IN
                        () -> customer().unsubscribe(daysAgo(300), ALL, null).grantUntil(daysAgo(200), NAP, EMAIL, daysAgo(100))
                                .placed(daysAgo(30), NAP).decide(NAP, EMAIL)),

                // ---- line 11: NO_CONSENT ----------------------------------------------------------
                row(11, "nothing known", Reason.NO_CONSENT,
                        () -> customer().decide(NAP, EMAIL)),
                row(11, "order exactly 24 months before T no longer counts", Reason.NO_CONSENT,
                        // counting the boundary: SOFT_OPT_IN
                        () -> customer().placed(monthsBefore(T, 24), NAP).decide(NAP, EMAIL)),
                row(11, "soft opt-in is per brand", Reason.NO_CONSENT,
                        // soft opt-in for any brand: SOFT_OPT_IN
                        () -> customer().placed(daysAgo(30), MRP).decide(NAP, EMAIL)),
                row(11, "no soft opt-in for PHONE by default", Reason.NO_CONSENT,
                        () -> customer().placed(daysAgo(30), NAP).decide(NAP, PHONE)),
                row(11, "no soft opt-in for TARGETED_ADS by default", Reason.NO_CONSENT,
                        () -> customer().placed(daysAgo(30), NAP).decide(NAP, TARGETED_ADS)),
                row(11, "a CANCELLED order alone is no soft opt-in", Reason.NO_CONSENT,
                        () -> customer().order(daysAgo(30), NAP, OrderStatus.CANCELLED).decide(NAP, EMAIL)),
                row(11, "an order after T is ignored", Reason.NO_CONSENT,
                        () -> customer().placed(T.plusSeconds(1), NAP).decide(NAP, EMAIL)),
                row(11, "a grant for another brand", Reason.NO_CONSENT,
                        () -> customer().grant(daysAgo(5), MRP, EMAIL).decide(NAP, EMAIL)),
                row(11, "a grant for another channel", Reason.NO_CONSENT,
                        () -> customer().grant(daysAgo(5), NAP, SMS).decide(NAP, EMAIL)),
                row(11, "a grant after T is ignored", Reason.NO_CONSENT,
                        () -> customer().grant(T.plusMillis(1), NAP, EMAIL).decide(NAP, EMAIL)));
    }

    @ParameterizedTest(name = "line {0}: {1} -> {2}")
    @MethodSource("table")
    void decisionTable(int line, Supplier<Answer> decide, Reason expected) {
        assertThat(expected.ordinal()).as("the reason of line %d", line).isEqualTo(line - 1);
        Answer a = decide.get();
        assertThat(a.reason()).isEqualTo(expected);
        assertThat(a.eligible()).isEqualTo(YES.contains(expected));
    }

    @Nested
    class EvidenceCases {
        @Test
        void consentCitesTheGrant() {
            TestCustomer c = customer().grant(daysAgo(10), NAP, EMAIL);
            String grant = c.last();
            c.grant(daysAgo(20), NAP, EMAIL);
            Answer a = c.decide(NAP, EMAIL);
            assertThat(a.evidence().eventId()).isEqualTo(grant);
            assertThat(a.evidence().type()).isEqualTo(FactType.CONSENT);
            assertThat(a.evidence().at()).isEqualTo(daysAgo(10));
            assertThat(a.evidence().source()).isEqualTo("PREFERENCE_CENTER");
        }

        @Test
        void doubleOptInCitesGrantAndConfirmation() {
            TestCustomer c = in("DE").grant(daysAgo(10), NAP, EMAIL);
            String grant = c.last();
            c.confirm(daysAgo(9), NAP, EMAIL);
            String confirmation = c.last();
            Answer a = c.decide(NAP, EMAIL);
            assertThat(a.evidence().eventId()).isEqualTo(grant);
            assertThat(a.evidence().confirmationEventId()).isEqualTo(confirmation);
        }

        @Test
        void softOptInCitesTheNewestPlacedOrder() {
            TestCustomer c = customer().placed(daysAgo(300), NAP).placed(daysAgo(30), NAP);
            String newest = c.last();
            c.placed(daysAgo(100), NAP).order(daysAgo(10), NAP, OrderStatus.CANCELLED);
            Answer a = c.decide(NAP, EMAIL);
            assertThat(a.evidence().type()).isEqualTo(FactType.ORDER);
            assertThat(a.evidence().eventId()).isEqualTo(newest);
        }

        @Test
        void unsubscribeCitesItsSource() {
            TestCustomer c = customer().grant(daysAgo(10), NAP, EMAIL)
                    .unsubscribe(daysAgo(1), ALL, null, UnsubscribeSource.LIST_UNSUBSCRIBE, null);
            Answer a = c.decide(NAP, EMAIL);
            assertThat(a.evidence()).isEqualTo(new Evidence(FactType.UNSUBSCRIBE, c.last(),
                    "LIST_UNSUBSCRIBE", daysAgo(1), null));
        }

        @Test
        void suppressionCitesTheNewestSuppression() {
            TestCustomer c = in(null).grant(daysAgo(30), NAP, EMAIL).suppress(emailHash(TestCustomer.EMAIL), daysAgo(20), EMAIL)
                    .suppress(emailHash(TestCustomer.EMAIL), daysAgo(2), EMAIL);
            String newest = c.last();
            c.suppress(emailHash(TestCustomer.EMAIL), daysAgo(10), EMAIL);
            Answer a = c.decide(NAP, EMAIL);
            assertThat(a.evidence().type()).isEqualTo(FactType.SUPPRESSION);
            assertThat(a.evidence().eventId()).isEqualTo(newest);
        }

        @Test
        void minorCitesTheBirthDate() {
            Answer a = in(null).born(daysAgo(50), LocalDate.parse("2012-01-01")).decide(NAP, POST);
            assertThat(a.reason()).isEqualTo(Reason.MINOR);
            assertThat(a.evidence().type()).isEqualTo(FactType.CUSTOMER);
            assertThat(a.evidence().at()).isEqualTo(daysAgo(50));
        }
    }

    @Nested
    class CoverageCases {
        @ParameterizedTest
        @ValueSource(strings = {NAP, MRP, OUTNET, B2B})
        void starFactsApplyToEveryBrand(String brand) {
            assertThat(customer().grant(daysAgo(10), ALL, EMAIL).decide(brand, EMAIL).reason()).isEqualTo(Reason.CONSENT);
            assertThat(customer().grant(daysAgo(10), brand, EMAIL).unsubscribe(daysAgo(5), ALL, EMAIL).decide(brand, EMAIL).reason())
                    .isEqualTo(Reason.UNSUBSCRIBED);
            assertThat(customer().grant(daysAgo(10), brand, EMAIL).withdraw(daysAgo(5), ALL, EMAIL).decide(brand, EMAIL).reason())
                    .isEqualTo(Reason.WITHDRAWN);
        }

        @ParameterizedTest
        @EnumSource(Channel.class)
        void unsubscribeWithoutChannelCoversEveryChannel(Channel ch) {
            TestCustomer c = in(null).grant(daysAgo(10), NAP, ch).unsubscribe(daysAgo(5), NAP, null);
            assertThat(c.decide(NAP, ch).reason()).isEqualTo(Reason.UNSUBSCRIBED);
            // and it covers that brand only
            assertThat(c.grant(daysAgo(10), MRP, ch).decide(MRP, ch).reason()).isEqualTo(Reason.CONSENT);
        }

        @ParameterizedTest
        @EnumSource(Channel.class)
        void unsubscribeOfOneChannelLeavesTheOthers(Channel ch) {
            TestCustomer c = in(null).grant(daysAgo(10), NAP, ch).unsubscribe(daysAgo(5), NAP, ch);
            assertThat(c.decide(NAP, ch).reason()).isEqualTo(Reason.UNSUBSCRIBED);
            for (Channel other : Channel.values()) {
                if (other != ch) {
                    assertThat(c.decide(NAP, other).reason()).as("%s", other).isNotEqualTo(Reason.UNSUBSCRIBED);
                }
            }
        }
    }

    @Nested
    class FactsAfterT {
        @Test
        void aDecisionAtTUsesOnlyFactsAtOrBeforeT() {
            TestCustomer c = customer().grant(daysAgo(10), NAP, EMAIL).unsubscribe(T.plusSeconds(1), NAP, EMAIL);
            assertThat(c.decide(NAP, EMAIL, T).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.decide(NAP, EMAIL, T.plusSeconds(1)).reason()).isEqualTo(Reason.UNSUBSCRIBED);
            assertThat(c.decide(NAP, EMAIL, daysAgo(11)).reason()).isEqualTo(Reason.NO_CONSENT);
        }

        @Test
        void profileChangesAfterTDoNotApply() {
            TestCustomer c = in("GB").grant(daysAgo(10), NAP, EMAIL).country(T.plusSeconds(60), "DE")
                    .born(T.plusSeconds(60), LocalDate.parse("2015-01-01"));
            assertThat(c.decide(NAP, EMAIL, T).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.decide(NAP, EMAIL, T.plusSeconds(60)).reason()).isEqualTo(Reason.MINOR);
        }

        @Test
        void aProfileUpsertArrivingLateWithAnOlderTimeDoesNotOverrideANewerOne() {
            TestCustomer c = customer().grant(daysAgo(10), NAP, EMAIL).country(daysAgo(5), "DE").country(daysAgo(8), "GB");
            assertThat(c.decide(NAP, EMAIL).reason()).isEqualTo(Reason.AWAITING_CONFIRMATION);
            assertThat(c.decide(NAP, EMAIL, daysAgo(6)).reason()).isEqualTo(Reason.CONSENT);
        }

        @Test
        void suppressionsAfterTDoNotApply() {
            TestCustomer c = in(null).grant(daysAgo(10), NAP, EMAIL).suppress(emailHash(TestCustomer.EMAIL), T.plusSeconds(1), EMAIL);
            assertThat(c.decide(NAP, EMAIL, T).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.decide(NAP, EMAIL, T.plusSeconds(1)).reason()).isEqualTo(Reason.ADDRESS_SUPPRESSED);
        }

        @Test
        void suppressionOfAnotherChannelOrAddressDoesNotApply() {
            TestCustomer c = in(null).grant(daysAgo(10), NAP, EMAIL).grant(daysAgo(10), NAP, SMS)
                    .suppress(emailHash(TestCustomer.EMAIL), daysAgo(1), SMS)
                    .suppress(emailHash("someone.else@example.com"), daysAgo(1), EMAIL);
            assertThat(c.decide(NAP, EMAIL).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.decide(NAP, SMS).reason()).isEqualTo(Reason.CONSENT);
        }

        @Test
        void timeAloneChangesAnswers() {
            TestCustomer c = in(null).born(TestCustomer.LONG_AGO, LocalDate.parse("2009-07-01"))
                    .grantUntil(daysAgo(10), NAP, SMS, T.plus(Duration.ofDays(30)))
                    .placed(monthsBefore(T, 24).plus(Duration.ofDays(1)), NAP);
            assertThat(c.decide(NAP, EMAIL, T).reason()).isEqualTo(Reason.MINOR);
            Instant sixteen = Instant.parse("2025-07-01T00:00:00Z");
            assertThat(c.decide(NAP, EMAIL, sixteen).reason()).isEqualTo(Reason.NO_CONSENT); // order lapsed
            assertThat(c.decide(NAP, SMS, sixteen).reason()).isEqualTo(Reason.CONSENT);
            assertThat(c.decide(NAP, SMS, T.plus(Duration.ofDays(30))).reason()).isEqualTo(Reason.EXPIRED);
        }
    }

    @Nested
    class Erasure {
        @Test
        void erasedWhileNoFactIsNewerThanTheErasure() {
            TestCustomer c = in(null).grant(daysAgo(10), NAP, EMAIL).erased(daysAgo(5));
            for (Instant t : List.of(daysAgo(6), daysAgo(5), daysAgo(1), T)) {
                Answer a = c.decide(NAP, EMAIL, t);
                assertThat(a.reason()).as("at %s", t).isEqualTo(Reason.ERASED);
                assertThat(a.eligible()).isFalse();
                assertThat(a.evidence().type()).isEqualTo(FactType.ERASURE);
                assertThat(a.evidence().at()).isEqualTo(daysAgo(5));
            }
        }

        @Test
        void aLaterFactStartsAFreshHistory() {
            TestCustomer c = in(null).grant(daysAgo(10), NAP, EMAIL).placed(daysAgo(9), NAP).erased(daysAgo(5))
                    .cart(daysAgo(2), NAP);
            assertThat(c.decide(NAP, EMAIL, daysAgo(3)).reason()).isEqualTo(Reason.ERASED);
            // the grant and the order died with the erasure; nothing else is known
            assertThat(c.decide(NAP, EMAIL, daysAgo(2)).reason()).isEqualTo(Reason.NO_CONSENT);
            assertThat(c.decide(NAP, POST, daysAgo(2)).reason()).isEqualTo(Reason.OPT_OUT_MODEL);
            c.grant(daysAgo(1), NAP, EMAIL);
            assertThat(c.decide(NAP, EMAIL).reason()).isEqualTo(Reason.CONSENT);
        }

        @Test
        void eraseDeletesFactsAtOrBeforeItAndKeepsLaterOnes() {
            TestCustomer c = customer().grant(daysAgo(10), NAP, EMAIL).grant(daysAgo(5), MRP, EMAIL)
                    .grant(daysAgo(4), OUTNET, EMAIL).placed(daysAgo(5), NAP).placed(daysAgo(3), MRP)
                    .unsubscribe(daysAgo(5), NAP, SMS).cart(daysAgo(5), NAP).cart(daysAgo(1), OUTNET)
                    .born(daysAgo(5), LocalDate.parse("2015-01-01"));
            c.erase(daysAgo(5));
            CustomerHistory h = c.h;
            assertThat(h.consents).extracting(ConsentFact::brand).containsExactly(OUTNET);
            assertThat(h.orders).extracting(OrderFact::brand).containsExactly(MRP);
            assertThat(h.unsubscribes).isEmpty();
            assertThat(h.carts).extracting(CartFact::brand).containsExactly(OUTNET);
            assertThat(h.profile).isEmpty();
            assertThat(h.erasedAt).isEqualTo(daysAgo(5));
            assertThat(h.erasedBy(daysAgo(5))).isTrue();
            assertThat(h.erasedBy(daysAgo(6))).isTrue();
            assertThat(h.erasedBy(daysAgo(5).plusMillis(1))).isFalse();
            assertThat(h.namedBrands()).containsExactly(MRP, OUTNET);
            assertThat(c.decide(OUTNET, EMAIL).reason()).isEqualTo(Reason.CONSENT);
        }

        @Test
        void eraseReportsTheProfileAndTheAddressedUnsubscribes() {
            TestCustomer c = in(null)
                    .unsubscribe(daysAgo(20), NAP, EMAIL, UnsubscribeSource.COMPLAINT, emailHash("old@example.com"))
                    .unsubscribe(daysAgo(15), NAP, SMS, UnsubscribeSource.LINK, null)
                    .unsubscribe(daysAgo(1), NAP, SMS, UnsubscribeSource.SMS_STOP, phoneHash("+447700900999"));
            String addressed = c.h.unsubscribes.get(0).eventId();
            CustomerHistory.Erased erased = c.erase(daysAgo(5));
            assertThat(erased.profile().emailHash()).isEqualTo(emailHash(TestCustomer.EMAIL));
            assertThat(erased.profile().phoneHash()).isEqualTo(phoneHash(TestCustomer.PHONE));
            assertThat(erased.addressedUnsubscribes()).extracting(UnsubscribeFact::eventId).containsExactly(addressed);
            assertThat(c.h.unsubscribes).hasSize(1);
        }

        @Test
        void eraseReportsTheProfileAsItWasAtTheErasure() {
            TestCustomer c = in(null).upsert(daysAgo(1), java.util.Map.of(ProfileUpdate.EMAIL, "new@example.com"));
            CustomerHistory.Erased erased = c.erase(daysAgo(5));
            assertThat(erased.profile().emailHash()).isEqualTo(emailHash(TestCustomer.EMAIL));
            assertThat(c.h.latestProfile().emailHash()).isEqualTo(emailHash("new@example.com"));
        }

        @Test
        void anOlderErasureAppliedLaterKeepsTheNewerMarker() {
            TestCustomer c = customer().grant(daysAgo(10), NAP, EMAIL).erased(daysAgo(3)).erased(daysAgo(8));
            assertThat(c.h.erasedAt).isEqualTo(daysAgo(3));
            assertThat(c.decide(NAP, EMAIL).reason()).isEqualTo(Reason.ERASED);
        }

        @Test
        void serviceIsRefusedToTheErased() {
            TestCustomer c = customer().erased(daysAgo(3));
            assertThat(c.policy().decideService(c.h, c.suppressionList(), NAP, EMAIL, T, null).reason())
                    .isEqualTo(Reason.ERASED);
        }
    }

    @Test
    void minorEndsAtTheExactLocalMidnightOfTheSixteenthBirthday() {
        TestCustomer c = in("GB").timezone(TestCustomer.LONG_AGO, "America/Los_Angeles")
                .born(TestCustomer.LONG_AGO, SIXTEENTH_BIRTHDAY_15TH).grant(daysAgo(10), NAP, EMAIL);
        Instant midnightLa = Instant.parse("2025-06-15T07:00:00Z");
        assertThat(c.decide(NAP, EMAIL, midnightLa.minusMillis(1)).reason()).isEqualTo(Reason.MINOR);
        assertThat(c.decide(NAP, EMAIL, midnightLa).reason()).isEqualTo(Reason.CONSENT);
    }
}
