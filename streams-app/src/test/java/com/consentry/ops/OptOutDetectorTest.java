package com.consentry.ops;

import com.consentry.avro.Channel;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.Evidence;
import com.consentry.avro.FactType;
import com.consentry.avro.Reason;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OptOutDetectorTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-03-02T10:00:00Z");
    private final OptOutDetector detector = new OptOutDetector(100);

    @Test
    void anOptOutThatEndsEligibilityIsHonouredOnceWithItsEventTime() {
        detector.onPublished("c1", view(T0, row("A", Channel.EMAIL, true, Reason.CONSENT, "consent-1", T0)));
        List<Instant> honoured = detector.onPublished("c1",
                view(T1, row("A", Channel.EMAIL, false, Reason.UNSUBSCRIBED, "unsub-1", T1)));
        assertThat(honoured).containsExactly(T1);
        // published again for another reason: the same opt-out is not counted twice
        assertThat(detector.onPublished("c1", view(T1.plusSeconds(60),
                row("A", Channel.EMAIL, false, Reason.UNSUBSCRIBED, "unsub-1", T1),
                row("B", Channel.EMAIL, true, Reason.CONSENT, "consent-2", T1.plusSeconds(60))))).isEmpty();
    }

    @Test
    void oneWildcardOptOutChangingManyRowsIsOneObservation() {
        detector.onPublished("c1", view(T0, row("A", Channel.EMAIL, true, Reason.CONSENT, "k1", T0),
                row("A", Channel.SMS, true, Reason.CONSENT, "k2", T0), row("B", Channel.EMAIL, true, Reason.CONSENT, "k3", T0)));
        List<Instant> honoured = detector.onPublished("c1", view(T1,
                row("A", Channel.EMAIL, false, Reason.UNSUBSCRIBED, "unsub-all", T1),
                row("A", Channel.SMS, false, Reason.UNSUBSCRIBED, "unsub-all", T1),
                row("B", Channel.EMAIL, false, Reason.UNSUBSCRIBED, "unsub-all", T1)));
        assertThat(honoured).containsExactly(T1);
    }

    @Test
    void anOptOutOfSomeoneWhoWasNotEligibleHonoursNothing() {
        detector.onPublished("c1", view(T0, row("A", Channel.EMAIL, false, Reason.NO_CONSENT, null, null)));
        assertThat(detector.onPublished("c1",
                view(T1, row("A", Channel.EMAIL, false, Reason.UNSUBSCRIBED, "unsub-1", T1)))).isEmpty();
    }

    @Test
    void withoutAPreviousViewAnOptOutCountsWhenItCausedThePublication() {
        assertThat(detector.onPublished("c1",
                view(T1, row("A", Channel.EMAIL, false, Reason.WITHDRAWN, "w1", T1)))).containsExactly(T1);
        // an old opt-out in a view published later for another reason is not a new one
        assertThat(detector.onPublished("c2", view(T1,
                row("A", Channel.EMAIL, false, Reason.ADDRESS_SUPPRESSED, "s1", T0),
                row("B", Channel.EMAIL, true, Reason.CONSENT, "k1", T1)))).isEmpty();
    }

    @Test
    void otherReasonsForIneligibilityAreNotOptOuts() {
        detector.onPublished("c1", view(T0, row("A", Channel.EMAIL, true, Reason.CONSENT, "k1", T0)));
        assertThat(detector.onPublished("c1",
                view(T1, row("A", Channel.EMAIL, false, Reason.EXPIRED, "k1", T0)))).isEmpty();
    }

    @Test
    void anErasureForgetsTheCustomerAndTheMemoryIsBounded() {
        detector.onPublished("c1", view(T0, row("A", Channel.EMAIL, true, Reason.CONSENT, "k1", T0)));
        assertThat(detector.onPublished("c1", null)).isEmpty();
        assertThat(detector.remembered()).isZero();
        OptOutDetector small = new OptOutDetector(2);
        for (int i = 0; i < 5; i++) {
            small.onPublished("c" + i, view(T0, row("A", Channel.EMAIL, true, Reason.CONSENT, "k", T0)));
        }
        assertThat(small.remembered()).isEqualTo(2);
    }

    private static CustomerEligibility view(Instant publishedAt, EligibilityRow... rows) {
        return CustomerEligibility.newBuilder().setCustomerId("c").setPublishedAt(publishedAt)
                .setRows(new ArrayList<>(List.of(rows))).build();
    }

    private static EligibilityRow row(String brand, Channel channel, boolean eligible, Reason reason, String eventId,
                                      Instant at) {
        Evidence e = eventId == null ? null : Evidence.newBuilder().setFactType(FactType.UNSUBSCRIBE).setEventId(eventId)
                .setSource(null).setEventTime(at).setConfirmationEventId(null).build();
        return EligibilityRow.newBuilder().setBrand(brand).setChannel(channel).setEligible(eligible).setReason(reason)
                .setEvidence(e).build();
    }
}
