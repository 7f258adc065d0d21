package com.consentry.topology;

import com.consentry.avro.Channel;
import com.consentry.avro.Decision;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.FactType;
import com.consentry.avro.Purpose;
import com.consentry.avro.Reason;
import com.consentry.avro.SendDecision;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.policy.SentMessage;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.erasure;
import static com.consentry.topology.TopologyHarness.grant;
import static com.consentry.topology.TopologyHarness.send;
import static com.consentry.topology.TopologyHarness.unsubscribe;
import static com.consentry.topology.TopologyHarness.unsubscribeBuilder;
import static com.consentry.topology.TopologyHarness.MRP;
import static com.consentry.topology.TopologyHarness.NAP;
import static com.consentry.topology.TopologyHarness.OUTNET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Campaign sends through the topology (topic send-requests to send-decisions): one decision per request,
 * idempotent by requestId, the frequency cap across brands, quiet hours in the customer's own local time,
 * and service messages.
 */
class SendGateTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path stateDir;
    private TopologyHarness h;
    private int sendRequests;

    @BeforeEach
    void start() {
        h = TopologyHarness.start(stateDir, T0);
    }

    @AfterEach
    void exactlyOneDecisionPerSendRequest() {
        assertThat(h.producedTo(h.topics.sendDecisions())).as("send-decisions records, one per send request")
                .hasSize(sendRequests);
        h.close();
    }

    private static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** Pipes the request and returns its one decision. */
    private SendDecision decide(SendRequest r) {
        h.pipe(r);
        sendRequests++;
        List<TestRecord<String, SendDecision>> out = h.decisions();
        assertThat(out).as("decisions for " + r.getRequestId()).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(r.getCustomerId());
        return out.get(0).value();
    }

    private SendDecision decide(String customerId, Instant at, String requestId, String brand, Channel channel,
                                Purpose purpose) {
        return decide(send("ev-" + requestId + "-" + at.toEpochMilli(), customerId, at, requestId, "spring-sale",
                brand, channel, purpose));
    }

    private static void assertDecision(SendDecision d, Decision decision, Reason reason) {
        assertThat(d.getDecision()).as("decision of " + d.getRequestId()).isEqualTo(decision);
        assertThat(d.getReason()).as("reason of " + d.getRequestId()).isEqualTo(reason);
    }

    @Test
    void aRepeatedRequestGetsItsFirstDecisionAgainAndCountsOnceTowardTheCap() {
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("c1@example.com").build());
        h.pipe(grant("e1", "c1", min(2), "*", Channel.EMAIL));

        SendDecision r1 = decide("c1", min(60), "r1", MRP, Channel.EMAIL, Purpose.MARKETING);
        assertDecision(r1, Decision.APPROVED, Reason.CONSENT);
        assertThat(r1.getKind()).isEqualTo(DecisionKind.CAMPAIGN);
        assertThat(r1.getRequestId()).isEqualTo("r1");
        assertThat(r1.getCampaignId()).isEqualTo("spring-sale");
        assertThat(r1.getCustomerId()).isEqualTo("c1");
        assertThat(r1.getBrand()).isEqualTo(MRP);
        assertThat(r1.getChannel()).isEqualTo(Channel.EMAIL);
        assertThat(r1.getPurpose()).isEqualTo(Purpose.MARKETING);
        assertThat(r1.getDecidedAt()).isEqualTo(min(60));
        assertThat(r1.getCartId()).isNull();
        assertThat(r1.getReminderId()).isNull();
        assertThat(r1.getEvidence().getFactType()).isEqualTo(FactType.CONSENT);
        assertThat(r1.getEvidence().getEventId()).isEqualTo("e1");

        // the same request again, later: its first decision, not a new one, and not a second message
        SendDecision again = decide("c1", min(70), "r1", MRP, Channel.EMAIL, Purpose.MARKETING);
        assertThat(again).isEqualTo(r1);
        assertThat(h.customerState("c1").sent).extracting(SentMessage::requestId).containsExactly("r1");

        // second EMAIL across brands: approved only because the repeat did not count
        assertDecision(decide("c1", min(120), "r2", NAP, Channel.EMAIL, Purpose.MARKETING),
                Decision.APPROVED, Reason.CONSENT);
        // third EMAIL in 24 h, another brand again
        SendDecision r3 = decide("c1", min(180), "r3", OUTNET, Channel.EMAIL, Purpose.MARKETING);
        assertDecision(r3, Decision.SUPPRESSED, Reason.FREQUENCY_CAP);
        assertThat(r3.getDecidedAt()).isEqualTo(min(180));
        // a repeat of an approved request after the cap is reached: still APPROVED, still its first decision
        assertThat(decide("c1", min(240), "r1", MRP, Channel.EMAIL, Purpose.MARKETING)).isEqualTo(r1);
        // an SMS is not an EMAIL: the EMAIL cap does not stop it (no SMS consent, though)
        assertDecision(decide("c1", min(250), "r-sms", MRP, Channel.SMS, Purpose.MARKETING),
                Decision.SUPPRESSED, Reason.NO_CONSENT);
        assertThat(h.customerState("c1").sent).extracting(SentMessage::requestId).containsExactly("r1", "r2");

        // exactly 24 h after r1 is a new window for r1, while r2 is still within 24 h: 2 messages, approved
        assertDecision(decide("c1", min(60 + 24 * 60), "r4", MRP, Channel.EMAIL, Purpose.MARKETING),
                Decision.APPROVED, Reason.CONSENT);
        // r2, r4 and this one would be 3 within [r2, r2 + 24 h)
        assertDecision(decide("c1", min(90 + 24 * 60), "r5", MRP, Channel.EMAIL, Purpose.MARKETING),
                Decision.SUPPRESSED, Reason.FREQUENCY_CAP);
        // a suppressed request repeated once the window has room again: still its first decision
        SendDecision r3again = decide("c1", min(200 + 24 * 60), "r3", OUTNET, Channel.EMAIL, Purpose.MARKETING);
        assertThat(r3again).isEqualTo(r3);

        assertThat(h.customerState("c1").sent).extracting(SentMessage::requestId).containsExactly("r1", "r2", "r4");
        assertThat(h.seenStore()).extracting(kv -> kv.value.requestId())
                .containsExactlyInAnyOrder("r1", "r2", "r3", "r-sms", "r4", "r5");
        assertThat(h.eligibility()).as("sends are not facts").hasSize(1);
    }

    @Test
    void quietHoursFollowTheCustomersOwnLocalTime() {
        // Tokyo is UTC+9: 12:00Z is 21:00 there
        h.pipe(customer("p1", "tokyo", min(1)).setCountry("GB").setTimezone("Asia/Tokyo").build());
        h.pipe(customer("p2", "london", min(1)).setCountry("GB").build());
        // US without a timezone: the jurisdiction's default, America/New_York (EST, UTC-5 on this date)
        h.pipe(customer("p3", "newyork", min(1)).setCountry("US").build());
        for (String c : List.of("tokyo", "london", "newyork")) {
            h.pipe(grant("g-" + c, c, min(2), MRP, Channel.SMS));
        }

        assertDecision(decide("tokyo", min(12 * 60), "t1", MRP, Channel.SMS, Purpose.MARKETING),
                Decision.SUPPRESSED, Reason.QUIET_HOURS);
        assertDecision(decide("london", min(12 * 60), "l1", MRP, Channel.SMS, Purpose.MARKETING),
                Decision.APPROVED, Reason.CONSENT);
        assertDecision(decide("newyork", min(12 * 60 + 30), "n1", MRP, Channel.SMS, Purpose.MARKETING),
                Decision.SUPPRESSED, Reason.QUIET_HOURS);
        assertDecision(decide("newyork", min(13 * 60 + 30), "n2", MRP, Channel.SMS, Purpose.MARKETING),
                Decision.APPROVED, Reason.CONSENT);
        // 07:59 in Tokyo: still quiet; 08:00: not any more (and the suppressed t1 did not use the SMS cap)
        assertDecision(decide("tokyo", min(22 * 60 + 59), "t2", MRP, Channel.SMS, Purpose.MARKETING),
                Decision.SUPPRESSED, Reason.QUIET_HOURS);
        SendDecision t3 = decide("tokyo", min(23 * 60), "t3", MRP, Channel.SMS, Purpose.MARKETING);
        assertDecision(t3, Decision.APPROVED, Reason.CONSENT);
        assertThat(t3.getDecidedAt()).isEqualTo(min(23 * 60));
        // 22:00 in London: quiet there
        assertDecision(decide("london", min(22 * 60), "l2", MRP, Channel.PHONE, Purpose.MARKETING),
                Decision.SUPPRESSED, Reason.NO_CONSENT);
        h.pipe(grant("gp-london", "london", min(22 * 60 + 1), MRP, Channel.PHONE));
        assertDecision(decide("london", min(22 * 60 + 2), "l3", MRP, Channel.PHONE, Purpose.MARKETING),
                Decision.SUPPRESSED, Reason.QUIET_HOURS);

        assertThat(h.customerState("tokyo").sent).extracting(SentMessage::requestId).containsExactly("t3");
    }

    @Test
    void serviceMessagesAreApprovedDespiteUnsubscribeAndAgeAndDoNotCountTowardTheCap() {
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("c1@example.com").build());
        h.pipe(grant("e1", "c1", min(2), MRP, Channel.EMAIL));
        h.pipe(unsubscribe("u1", "c1", min(10), "*", UnsubscribeSource.LINK));

        SendDecision marketing = decide("c1", min(60), "m1", MRP, Channel.EMAIL, Purpose.MARKETING);
        assertDecision(marketing, Decision.SUPPRESSED, Reason.UNSUBSCRIBED);
        assertThat(marketing.getEvidence().getEventId()).isEqualTo("u1");
        assertThat(marketing.getEvidence().getSource()).isEqualTo("LINK");

        SendDecision service = decide("c1", min(61), "sv1", MRP, Channel.EMAIL, Purpose.SERVICE);
        assertDecision(service, Decision.APPROVED, Reason.SERVICE);
        assertThat(service.getPurpose()).isEqualTo(Purpose.SERVICE);
        assertThat(service.getKind()).isEqualTo(DecisionKind.CAMPAIGN);
        assertThat(service.getDecidedAt()).isEqualTo(min(61));
        // no consent for SMS at all, and it is 23:00: still a service message
        assertDecision(decide("c1", min(23 * 60), "sv2", MRP, Channel.SMS, Purpose.SERVICE),
                Decision.APPROVED, Reason.SERVICE);

        // a 14-year-old gets order confirmations, not marketing
        h.pipe(customer("p2", "kid", min(3)).setCountry("GB").setBirthDate(LocalDate.of(2012, 1, 1)).build());
        h.pipe(grant("e2", "kid", min(4), MRP, Channel.EMAIL));
        assertDecision(decide("kid", min(62), "k1", MRP, Channel.EMAIL, Purpose.MARKETING),
                Decision.SUPPRESSED, Reason.MINOR);
        assertDecision(decide("kid", min(63), "k2", MRP, Channel.EMAIL, Purpose.SERVICE),
                Decision.APPROVED, Reason.SERVICE);

        // three service emails, then two marketing emails: all approved
        h.pipe(grant("e3", "c3", min(5), MRP, Channel.EMAIL));
        for (int i = 1; i <= 3; i++) {
            assertDecision(decide("c3", min(100 + i), "svc-" + i, MRP, Channel.EMAIL, Purpose.SERVICE),
                    Decision.APPROVED, Reason.SERVICE);
        }
        assertDecision(decide("c3", min(110), "mk-1", MRP, Channel.EMAIL, Purpose.MARKETING),
                Decision.APPROVED, Reason.CONSENT);
        assertDecision(decide("c3", min(111), "mk-2", MRP, Channel.EMAIL, Purpose.MARKETING),
                Decision.APPROVED, Reason.CONSENT);
        assertThat(h.customerState("c3").sent).extracting(SentMessage::requestId).containsExactly("mk-1", "mk-2");
        assertThat(h.customerState("c1").sent).isEmpty();
    }

    @Test
    void serviceMessagesAreStoppedOnlyByASuppressedAddressOrErasure() {
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("bounce@example.com").build());
        h.pipe(unsubscribeBuilder("u1", "c1", min(5), MRP, UnsubscribeSource.HARD_BOUNCE).build());
        SendDecision bounced = decide("c1", min(10), "sv1", NAP, Channel.EMAIL, Purpose.SERVICE);
        assertDecision(bounced, Decision.SUPPRESSED, Reason.ADDRESS_SUPPRESSED);
        assertThat(bounced.getEvidence().getFactType()).isEqualTo(FactType.SUPPRESSION);
        assertThat(bounced.getEvidence().getEventId()).isEqualTo("u1");
        assertDecision(decide("c1", min(11), "sv2", NAP, Channel.POST, Purpose.SERVICE),
                Decision.APPROVED, Reason.SERVICE);

        h.pipe(grant("e2", "c2", min(2), MRP, Channel.EMAIL));
        h.pipe(erasure("x2", "c2", min(20)));
        SendDecision erased = decide("c2", min(30), "sv3", MRP, Channel.EMAIL, Purpose.SERVICE);
        assertDecision(erased, Decision.SUPPRESSED, Reason.ERASED);
        assertThat(erased.getEvidence().getEventId()).isEqualTo("x2");
    }
}
