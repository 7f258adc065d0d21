package com.consentry.topology;

import com.consentry.avro.Channel;
import com.consentry.avro.Decision;
import com.consentry.avro.Purpose;
import com.consentry.avro.Reason;
import com.consentry.avro.SendDecision;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.policy.Suppression;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decisions that wait for the suppression list (issue 13), with a barrier the test opens and closes:
 * in the service it is the suppression watch, which opens once the list has caught up with every
 * address-only unsubscribe acknowledged before the decision.
 */
class HeldOutputsTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String BRAND = "NET-A-PORTER";

    /** Open or closed, as the test says; counts what the topology tells it. */
    static final class TestBarrier implements SuppressionBarrier {
        volatile boolean open;
        /** What {@link #acknowledgedBefore} answers: null, every entry counts. */
        volatile long[] acknowledged;
        int held;
        int redecided;
        final List<Long> waits = new ArrayList<>();

        @Override
        public boolean passed(long wallMs, long eventTimeMs, Function<String, Suppression> progress) {
            return open;
        }

        @Override
        public long[] acknowledgedBefore(long wallMs) {
            return acknowledged;
        }

        @Override
        public void released(long millis) {
            waits.add(millis);
        }

        @Override
        public void held() {
            held++;
        }

        @Override
        public void redecided() {
            redecided++;
        }
    }

    @TempDir
    Path stateDir;
    private final TestBarrier barrier = new TestBarrier();
    private TopologyHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private void customerWithEmailConsent(String customerId, String email) {
        h.pipe(TopologyHarness.customer("c-" + customerId, customerId, T0).setCountry("GB").setEmail(email).build());
        h.pipe(TopologyHarness.grant("g-" + customerId, customerId, T0.plusSeconds(60), BRAND, Channel.EMAIL));
    }

    private void send(String customerId, String requestId, Instant at) {
        h.pipe(TopologyHarness.send("s-" + requestId, customerId, at, requestId, "spring", BRAND, Channel.EMAIL,
                Purpose.MARKETING));
    }

    private List<KeyValue<String, Object>> heldStore() {
        KeyValueStore<String, Object> store = h.store(StoreNames.HELD_OUTPUTS);
        List<KeyValue<String, Object>> out = new ArrayList<>();
        try (KeyValueIterator<String, Object> it = store.all()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void aDecisionWaitsForTheListAndIsPublishedInOrderOnceItHasCaughtUp() {
        h = TopologyHarness.start(stateDir, T0, barrier);
        customerWithEmailConsent("c1", "ann@example.com");
        send("c1", "r1", T0.plusSeconds(3600));
        send("c1", "r2", T0.plusSeconds(7200));
        h.advanceBy(Duration.ofSeconds(1));
        assertThat(h.decisions()).as("nothing published while the list may lag").isEmpty();
        assertThat(h.eligibility()).as("nor the eligible view").isEmpty();
        assertThat(heldStore()).as("held in the store, so that a restart keeps them: the view, then the decisions")
                .hasSize(3);
        assertThat(barrier.held).as("decisions that waited (the metrics count decisions)").isEqualTo(2);

        barrier.open = true;
        h.advanceBy(Duration.ofMillis(20));
        assertThat(h.decisions()).extracting(r -> r.value().getRequestId() + "/" + r.value().getDecision())
                .containsExactly("r1/APPROVED", "r2/APPROVED");
        assertThat(h.decisions()).isEmpty();
        assertThat(h.eligibility()).extracting(r -> TopologyHarness.row(r.value(), BRAND, Channel.EMAIL).getEligible())
                .containsExactly(true);
        assertThat(heldStore()).isEmpty();
        assertThat(barrier.waits).hasSize(2).allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(0));
    }

    @Test
    void aHeldApprovalIsTakenAgainWhenTheListCatchesUpWithAnEarlierAddressUnsubscribe() {
        h = TopologyHarness.start(stateDir, T0, barrier);
        customerWithEmailConsent("c1", "ann@example.com");
        Instant sendAt = T0.plusSeconds(3600);
        send("c1", "r1", sendAt);
        // the address-only unsubscribe a second before the send reaches the list only now, as from another partition
        suppressionFromPartition1(h.hashOf("ann@example.com"), sendAt.minusSeconds(1), "u1", 0);
        assertThat(h.decisions()).isEmpty();

        barrier.open = true;
        h.advanceBy(Duration.ofMillis(20));
        List<SendDecision> out = new ArrayList<>();
        h.decisions().forEach(r -> out.add(r.value()));
        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.getRequestId()).isEqualTo("r1");
            assertThat(d.getDecision()).isEqualTo(Decision.SUPPRESSED);
            assertThat(d.getReason()).isEqualTo(Reason.ADDRESS_SUPPRESSED);
        });
        assertThat(barrier.redecided).as("the decision; the view is of a time before the suppression").isEqualTo(1);
        assertThat(h.customerState("c1").sent).as("the cap no longer counts the message it did not send").isEmpty();

        // a repeat of the request gets the decision as taken again
        send("c1", "r1", sendAt);
        assertThat(h.decisions()).extracting(r -> r.value().getReason()).containsExactly(Reason.ADDRESS_SUPPRESSED);
    }

    @Test
    void onlyASuppressionOfAnotherPartitionAcknowledgedBeforeTheDecisionTakesItAgain() {
        h = TopologyHarness.start(stateDir, T0, barrier);
        customerWithEmailConsent("c1", "ann@example.com");
        customerWithEmailConsent("c2", "bob@example.com");
        customerWithEmailConsent("c3", "cat@example.com");
        Instant sendAt = T0.plusSeconds(3600);
        send("c1", "r1", sendAt);
        send("c2", "r2", sendAt);
        send("c3", "r3", sendAt);
        // three bounces older than the sends reach the list after them: ann's and bob's made by the tasks of
        // partition 1 (offsets 0 and 1 of the unsubscribe topic there), cat's by this task (partition 0)
        Instant bounced = sendAt.minusSeconds(60);
        suppressionFromPartition1(h.hashOf("ann@example.com"), bounced, "b1", 0);
        suppressionFromPartition1(h.hashOf("bob@example.com"), bounced, "b2", 1);
        h.pipeKeepingClock(TopologyHarness.unsubscribe("b3", "c3", bounced, "*", UnsubscribeSource.HARD_BOUNCE));
        // the watch: offset 0 of partition 1 was acknowledged before the decisions, and on partition 0 all
        // of it (as on a backlog, where the bounce was on the broker before the send was read)
        barrier.acknowledged = new long[] {10, 0};
        barrier.open = true;
        h.advanceBy(Duration.ofMillis(20));

        assertThat(h.decisions()).extracting(r -> r.value().getRequestId() + "/" + r.value().getDecision() + "/"
                + r.value().getReason())
                .as("bob's bounce came after his request; cat's was read after hers, so it was published after it: "
                        + "both decisions stand, as in simulate")
                .containsExactly("r1/SUPPRESSED/ADDRESS_SUPPRESSED", "r2/APPROVED/CONSENT", "r3/APPROVED/CONSENT");
        assertThat(barrier.redecided).isEqualTo(1);
    }

    /** An entry of the suppression list made by the task of partition 1, as the global store receives it. */
    private void suppressionFromPartition1(String hash, Instant at, String eventId, long offset) {
        Suppression x = new Suppression(hash, java.util.Set.of(com.consentry.policy.Channel.EMAIL), at, eventId,
                "HARD_BOUNCE")
                .withOrigin(new Suppression.Origin(1, offset));
        String key = GlobalSuppressionList.key(x);
        h.pipeRaw(h.topics.suppressions(), key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                StateSerdes.suppression().serializer().serialize(h.topics.suppressions(), x), at);
    }

    @Test
    void aViewWithAnEligibleRowWaitsAndIsRecomputedWhenAnAddressItUsedWasSuppressedMeanwhile() {
        h = TopologyHarness.start(stateDir, T0, barrier);
        barrier.open = true;
        customerWithEmailConsent("c1", "ann@example.com");
        h.advanceBy(Duration.ofMillis(20));
        assertThat(h.eligibility()).extracting(r -> TopologyHarness.row(r.value(), BRAND, Channel.EMAIL).getEligible())
                .containsExactly(true);

        barrier.open = false;
        h.pipe(TopologyHarness.grant("g2-c1", "c1", T0.plusSeconds(120), "MR PORTER", Channel.EMAIL));
        assertThat(h.eligibility()).as("a view with eligible rows waits for the list").isEmpty();
        // the address was unsubscribed before that grant, on another partition: the list learns of it only now
        suppressionFromPartition1(h.hashOf("ann@example.com"), T0.plusSeconds(90), "u1", 0);
        barrier.open = true;
        h.advanceBy(Duration.ofMillis(20));
        var views = h.eligibility();
        assertThat(views).as("the held view, computed again, then the address index's re-check").isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(TopologyHarness.row(r.value(), BRAND, Channel.EMAIL).getReason())
                            .as("never published eligible after the suppression").isEqualTo(Reason.ADDRESS_SUPPRESSED);
                    assertThat(TopologyHarness.row(r.value(), "MR PORTER", Channel.EMAIL).getEligible())
                            .as("the newer grant wins over the older suppression").isTrue();
                });
    }

    @Test
    void heldDecisionsSurviveARestartAndArePublishedAfterIt() {
        h = TopologyHarness.start(stateDir, T0, barrier);
        customerWithEmailConsent("c1", "ann@example.com");
        send("c1", "r1", T0.plusSeconds(3600));
        h.advanceBy(Duration.ofSeconds(1));
        assertThat(h.decisions()).isEmpty();

        h.restart(h.now().plusSeconds(1));
        assertThat(h.decisions()).isEmpty();
        barrier.open = true;
        h.advanceBy(Duration.ofMillis(20));
        assertThat(h.decisions()).extracting(r -> r.value().getRequestId() + "/" + r.value().getDecision())
                .containsExactly("r1/APPROVED");
    }

    @Test
    void theUnsubscribeTaskMarksHowFarItHasReadOnTheSuppressionList() {
        h = TopologyHarness.start(stateDir, T0, barrier);
        h.pipe(TopologyHarness.addressUnsubscribe("u1", "bob@example.com", T0, UnsubscribeSource.LINK));
        h.pipe(TopologyHarness.addressUnsubscribe("u2", "cat@example.com", T0.plusSeconds(1), UnsubscribeSource.LINK));
        h.advanceBy(Duration.ofMillis(50));
        KeyValueStore<String, Suppression> list = h.store(StoreNames.SUPPRESSIONS);
        assertThat(SuppressionProgress.processed(0, 1, list::get))
                .as("both records of partition 0 (offsets 0 and 1) are on the list, up to the second's event time")
                .isEqualTo(new SuppressionProgress.Mark(2, T0.plusSeconds(1).toEpochMilli()));
        assertThat(SuppressionProgress.processed(0, 2, list::get))
                .as("a suppressions partition without a marker: nothing known").isEqualTo(SuppressionProgress.Mark.NONE);
        assertThat(new GlobalSuppressionList(list).forAddress(SuppressionProgress.PREFIX)).as("not an address").isEmpty();
    }

    @Test
    void withoutABarrierNothingWaitsAndNoProgressIsMarked() {
        h = TopologyHarness.start(stateDir, T0);
        customerWithEmailConsent("c1", "ann@example.com");
        send("c1", "r1", T0.plusSeconds(3600));
        assertThat(h.decisions()).hasSize(1);
        h.advanceBy(Duration.ofSeconds(2));
        KeyValueStore<String, Suppression> list = h.store(StoreNames.SUPPRESSIONS);
        assertThat(SuppressionProgress.processed(0, 1, list::get)).isEqualTo(SuppressionProgress.Mark.NONE);
        assertThat(heldStore()).isEmpty();
    }
}
