package com.consentry.topology;

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

    /**
     * A request as decided: what the gate remembers of it, the request as the policy saw it, and whether
     * it repeats a requestId decided before (then {@code seen} is that first decision).
     */
    record Decided(Seen seen, SendRequest request, boolean repeat) {
    }

    Decided decide(CustomerState state, Inbound.Send send, SuppressionList suppressions,
                   KeyValueStore<String, Seen> seenStore) {
        String key = seenKey(send.customerId(), send.requestId());
        Seen seen = seenStore.get(key);
        String region = state.history.profileAt(send.at()).country();
        String addressHash = send.address() == null ? null : recorder.addressHash(send.address(), region);
        SendRequest req = new SendRequest(send.requestId(), send.brand(), send.channel(), send.purpose(),
                send.at(), addressHash);
        if (seen != null) {
            return new Decided(seen, new SendRequest(seen.requestId(), seen.brand(), seen.channel(), seen.purpose(),
                    seen.at(), addressHash), true);
        }
        SendOutcome outcome = policy.decide(state.history, suppressions, req, state.sent);
        if (outcome.approved() && send.purpose() == Purpose.MARKETING) {
            recordSent(state, new SentMessage(send.requestId(), send.at(), send.channel()));
        }
        seen = new Seen(send.requestId(), send.campaignId(), send.brand(), send.channel(), send.purpose(),
                send.at(), outcome);
        seenStore.put(key, seen);
        return new Decided(seen, req, false);
    }

    /**
     * Takes a request again with the state as it is now, in place of {@code before} (the same request's
     * earlier outcome): the cap no longer counts the earlier outcome's message, and counts the new one's.
     */
    SendOutcome redecide(CustomerState state, SendRequest req, SendOutcome before, SuppressionList suppressions) {
        if (before.approved() && req.purpose() == Purpose.MARKETING) {
            state.sent.removeIf(m -> m.requestId().equals(req.requestId()));
        }
        SendOutcome outcome = policy.decide(state.history, suppressions, req, state.sent);
        if (outcome.approved() && req.purpose() == Purpose.MARKETING) {
            recordSent(state, new SentMessage(req.requestId(), req.at(), req.channel()));
        }
        return outcome;
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
