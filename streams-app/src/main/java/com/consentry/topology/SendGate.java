package com.consentry.topology;

import com.consentry.avro.SendDecision;
import com.consentry.ingest.Inbound;
import com.consentry.policy.Channel;
import com.consentry.policy.Purpose;
import com.consentry.policy.SendOutcome;
import com.consentry.policy.SendPolicy;
import com.consentry.policy.SendRequest;
import com.consentry.policy.SentMessage;
import com.consentry.policy.SuppressionList;

import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides campaign sends: exactly one decision per request, at its event time. A repeated requestId
 * gets its first decision again and counts once toward the frequency cap.
 */
final class SendGate {
    /** Approved messages older than this (before the newest one) no longer matter to any cap window. */
    private static final Duration KEEP_SENT = Duration.ofDays(7);

    private final SendPolicy policy;
    private final FactRecorder recorder;

    SendGate(SendPolicy policy, FactRecorder recorder) {
        this.policy = policy;
        this.recorder = recorder;
    }

    /** What the gate remembers of a decided request. */
    record Seen(String requestId, String campaignId, String brand, Channel channel, Purpose purpose, Instant at,
                SendOutcome outcome) {
    }

    SendDecision decide(CustomerState state, Inbound.Send send, SuppressionList suppressions,
                        KeyValueStore<String, Seen> seenStore) {
        String key = seenKey(send.customerId(), send.requestId());
        Seen seen = seenStore.get(key);
        if (seen == null) {
            String region = state.history.profileAt(send.at()).country();
            String addressHash = send.address() == null ? null : recorder.addressHash(send.address(), region);
            SendRequest req = new SendRequest(send.requestId(), send.brand(), send.channel(), send.purpose(),
                    send.at(), addressHash);
            SendOutcome outcome = policy.decide(state.history, suppressions, req, state.sent);
            if (outcome.approved() && send.purpose() == Purpose.MARKETING) {
                recordSent(state, new SentMessage(send.requestId(), send.at(), send.channel()));
            }
            seen = new Seen(send.requestId(), send.campaignId(), send.brand(), send.channel(), send.purpose(),
                    send.at(), outcome);
            seenStore.put(key, seen);
        }
        return AvroOutputs.decision(seen.requestId(), seen.campaignId(), send.customerId(), seen.brand(),
                seen.channel(), seen.purpose(), seen.at(), seen.outcome(), null);
    }

    /** Adds an approved marketing message to what the cap counts, forgetting what no window can reach. */
    static void recordSent(CustomerState state, SentMessage m) {
        state.sent.add(m);
        Instant newest = state.sent.stream().map(SentMessage::at).max(Instant::compareTo).orElse(m.at());
        state.sent.removeIf(x -> x.at().isBefore(newest.minus(KEEP_SENT)));
    }

    static String seenKey(String customerId, String requestId) {
        return customerId + '\u0000' + requestId;
    }
}
