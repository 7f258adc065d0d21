package com.consentry.topology;

import com.consentry.avro.Channel;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.Decision;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.Purpose;
import com.consentry.avro.Reason;
import com.consentry.avro.SendDecision;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.config.AppConfig;
import com.consentry.serde.StateSerde;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.consentry.topology.TopologyHarness.NAP;
import static com.consentry.topology.TopologyHarness.addressUnsubscribe;
import static com.consentry.topology.TopologyHarness.row;
import static com.consentry.topology.TopologyHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-place upgrade: the current topology starts on the state the previous release (JSON state) wrote
 * over {@code state-v0/upgrade-before.input.jsonl} and carries on from it, as its users see it. The
 * legacy state is either the stores' contents as they were on disk ({@code in-place}) or what a restore
 * replays from the changelogs ({@code restored}); the global suppression store is fed by the legacy
 * records of its topic either way.
 *
 * <p>Before the upgrade: u1 (GB, u1@example.com) was refused r1 (no consent yet), then granted NET-A-PORTER
 * email and got r2 approved, and left cart k1 (due 10:06); u4 was erased; u5's address hard-bounced.
 */
class StateUpgradeTest {
    private static final Instant UPGRADE = Instant.parse("2026-03-01T09:30:00Z");

    @TempDir
    Path stateDir;
    private TopologyHarness h;

    @AfterEach
    void stop() {
        h.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-place", "restored"})
    void theNewReleaseCarriesOnFromTheStateThePreviousReleaseWrote(String how) {
        h = TopologyHarness.start(stateDir, UPGRADE, Map.of("consentry.suppression.secret", AppConfig.DEV_SECRET));
        load(LegacyStateFixture.of("upgrade-before"), how.equals("restored"));
        h.eligibility(); // the global store re-publishes nothing; start reading from here

        h.pipe(send("after-1", "u1", at("09:40"), "r1", "spring", NAP, Channel.EMAIL, Purpose.MARKETING));
        h.pipe(send("after-2", "u1", at("09:41"), "r3", "spring", NAP, Channel.EMAIL, Purpose.MARKETING));
        h.advanceTo(at("10:07"));
        h.pipe(send("after-3", "u5", at("10:10"), "r5", null, NAP, Channel.EMAIL, Purpose.SERVICE));
        h.pipe(send("after-4", "u4", at("10:11"), "r6", null, NAP, Channel.EMAIL, Purpose.SERVICE));
        List<TestRecord<String, SendDecision>> d = h.decisions();

        assertThat(d).hasSize(5);
        assertDecision(d.get(0).value(), "r1", Decision.SUPPRESSED, Reason.NO_CONSENT);
        assertThat(d.get(0).value().getDecidedAt()).as("r1 keeps its first decision, made before the upgrade")
                .isEqualTo(at("09:01"));
        assertDecision(d.get(1).value(), "r3", Decision.APPROVED, Reason.CONSENT);
        assertThat(d.get(1).value().getEvidence().getEventId()).as("the consent given before the upgrade")
                .isEqualTo("line:3");
        SendDecision reminder = d.get(2).value();
        assertThat(reminder.getKind()).isEqualTo(DecisionKind.CART_REMINDER);
        assertThat(reminder.getCartId()).isEqualTo("k1");
        assertThat(reminder.getDecidedAt()).as("due an hour after k1's last activity before the upgrade")
                .isEqualTo(at("10:06"));
        assertThat(reminder.getReason()).as("r2 (before the upgrade) and r3 reached the email cap of 2")
                .isEqualTo(Reason.FREQUENCY_CAP);
        assertDecision(d.get(3).value(), "r5", Decision.SUPPRESSED, Reason.ADDRESS_SUPPRESSED);
        assertDecision(d.get(4).value(), "r6", Decision.SUPPRESSED, Reason.ERASED);

        // the address index the previous release built: a bounce of u1's address reaches u1's view
        h.pipe(addressUnsubscribe("after-5", "u1@example.com", at("10:12"), UnsubscribeSource.HARD_BOUNCE));
        List<TestRecord<String, CustomerEligibility>> views = h.eligibility();
        assertThat(views).extracting(TestRecord::key).containsExactly("u1");
        assertThat(row(views.get(0).value(), NAP, Channel.EMAIL).getReason()).isEqualTo(Reason.ADDRESS_SUPPRESSED);

        // what was put since is Avro now: every customer with a view was, by the one-time build of the
        // sweep index (which read their old JSON); a value nothing put since is still the old JSON, and reads
        assertThat(rawValue(StoreNames.CUSTOMERS, "u1")).startsWith(StateSerde.AVRO_HEADER);
        assertThat(rawValue(StoreNames.CUSTOMERS, "u3")).startsWith(StateSerde.AVRO_HEADER);
        assertThat(rawValue(StoreNames.SEND_REQUESTS, SendGate.seenKey("u1", "r1")))
                .as("r1's first decision, read (above) and never rewritten").startsWith('{');
        assertThat(h.customerState("u3").history.profile.get(0).phoneHashByRegion()).containsKey("GB");
        assertThat(rawValue(StoreNames.CARTS, CartState.key("u1", "k1"))).startsWith(StateSerde.AVRO_HEADER);
        assertThat(h.cartState("u1", "k1").reminded).isTrue();
        assertThat(rawValue(StoreNames.SUPPRESSIONS, h.suppressionStore().get(0).key)).startsWith(StateSerde.AVRO_HEADER);
    }

    /** Puts the legacy bytes where the previous release left them, under the serdes of the current topology. */
    private void load(List<LegacyStateFixture.Entry> legacy, boolean fromChangelogs) {
        Map<String, StateStore> stores = h.allStores();
        for (LegacyStateFixture.Entry e : legacy) {
            if (e.topic() != null && e.topic().equals(h.topics.suppressions())) {
                h.pipeRaw(e.topic(), e.key(), e.value(), Instant.ofEpochMilli(e.timestamp()));
                continue;
            }
            boolean wanted = fromChangelogs ? e.topic() != null : e.store() != null;
            String store = e.storeOrChangelogStore();
            if (!wanted || store == null || store.equals(StoreNames.SUPPRESSIONS)) {
                continue;
            }
            KeyValueStore<Bytes, byte[]> bytes = bytesOf(stores.get(store));
            if (e.value() == null) {
                bytes.delete(Bytes.wrap(e.key()));
            } else {
                bytes.put(Bytes.wrap(e.key()), e.value());
            }
        }
    }

    private byte[] rawValue(String store, String key) {
        return bytesOf(h.allStores().get(store)).get(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static KeyValueStore<Bytes, byte[]> bytesOf(StateStore store) {
        StateStore inner = store;
        while (inner instanceof WrappedStateStore<?, ?, ?> w) {
            inner = w.wrapped();
        }
        return (KeyValueStore<Bytes, byte[]>) inner;
    }

    private static void assertDecision(SendDecision d, String requestId, Decision decision, Reason reason) {
        assertThat(d.getRequestId()).isEqualTo(requestId);
        assertThat(d.getDecision()).as(requestId).isEqualTo(decision);
        assertThat(d.getReason()).as(requestId).isEqualTo(reason);
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-03-01T" + hhmm + ":00Z");
    }
}
