package com.consentry.serde;

import static com.consentry.serde.StateValues.instant;
import static com.consentry.serde.StateValues.millis;
import static com.consentry.serde.StateValues.nanoOfMilli;

import com.consentry.policy.Channel;
import com.consentry.policy.Evidence;
import com.consentry.policy.SendOutcome;
import com.consentry.policy.SentMessage;
import com.consentry.policy.Suppression;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The policy's values that state keeps ({@link Evidence}, {@link SendOutcome}, {@link SentMessage},
 * {@link Suppression}) to and from their Avro records of {@code state/}. A suppression's channels are
 * written in channel order and come back as an {@link EnumSet}.
 */
public final class PolicyCodec {
    private static final Channel[] CHANNELS = Channel.values();

    private PolicyCodec() {
    }

    public static com.consentry.avro.state.Evidence toAvro(Evidence e) {
        if (e == null) {
            return null;
        }
        var r = new com.consentry.avro.state.Evidence();
        r.setFactType(StateEnums.FACT_TYPE.avro(e.type()));
        r.setEventId(e.eventId());
        r.setSource(e.source());
        r.setAt(millis(e.at()));
        r.setAtNanoOfMilli(nanoOfMilli(e.at()));
        r.setConfirmationEventId(e.confirmationEventId());
        return r;
    }

    public static Evidence fromAvro(com.consentry.avro.state.Evidence r) {
        if (r == null) {
            return null;
        }
        return new Evidence(StateEnums.FACT_TYPE.domain(r.getFactType()), r.getEventId(), r.getSource(),
                instant(r.getAt(), r.getAtNanoOfMilli()), r.getConfirmationEventId());
    }

    public static com.consentry.avro.state.SendOutcome toAvro(SendOutcome o) {
        var r = new com.consentry.avro.state.SendOutcome();
        r.setDecision(StateEnums.DECISION.avro(o.decision()));
        r.setReason(StateEnums.REASON.avro(o.reason()));
        r.setEvidence(toAvro(o.evidence()));
        return r;
    }

    public static SendOutcome fromAvro(com.consentry.avro.state.SendOutcome r) {
        return new SendOutcome(StateEnums.DECISION.domain(r.getDecision()), StateEnums.REASON.domain(r.getReason()),
                fromAvro(r.getEvidence()));
    }

    public static com.consentry.avro.state.SentMessage toAvro(SentMessage m) {
        var r = new com.consentry.avro.state.SentMessage();
        r.setRequestId(m.requestId());
        r.setAt(millis(m.at()));
        r.setAtNanoOfMilli(nanoOfMilli(m.at()));
        r.setChannel(StateEnums.CHANNEL.avro(m.channel()));
        return r;
    }

    public static SentMessage fromAvro(com.consentry.avro.state.SentMessage r) {
        return new SentMessage(r.getRequestId(), instant(r.getAt(), r.getAtNanoOfMilli()),
                StateEnums.CHANNEL.domain(r.getChannel()));
    }

    public static com.consentry.avro.state.Suppression toAvro(Suppression s) {
        var r = new com.consentry.avro.state.Suppression();
        r.setAddressHash(s.addressHash());
        List<com.consentry.avro.Channel> channels = new ArrayList<>(s.channels().size());
        for (Channel c : CHANNELS) {
            if (s.channels().contains(c)) {
                channels.add(StateEnums.CHANNEL.avro(c));
            }
        }
        r.setChannels(channels);
        r.setAt(millis(s.at()));
        r.setAtNanoOfMilli(nanoOfMilli(s.at()));
        r.setEventId(s.eventId());
        r.setSource(s.source());
        if (s.origin() != null) {
            r.setOriginPartition(s.origin().partition());
            r.setOriginOffset(s.origin().offset());
        }
        return r;
    }

    public static Suppression fromAvro(com.consentry.avro.state.Suppression r) {
        EnumSet<Channel> channels = EnumSet.noneOf(Channel.class);
        for (com.consentry.avro.Channel c : r.getChannels()) {
            channels.add(StateEnums.CHANNEL.domain(c));
        }
        Suppression.Origin origin = r.getOriginPartition() == null || r.getOriginOffset() == null ? null
                : new Suppression.Origin(r.getOriginPartition(), r.getOriginOffset());
        return new Suppression(r.getAddressHash(), channels, instant(r.getAt(), r.getAtNanoOfMilli()), r.getEventId(),
                r.getSource(), origin);
    }
}
