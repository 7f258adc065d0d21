package com.consentry.topology;

import static com.consentry.serde.StateValues.instant;
import static com.consentry.serde.StateValues.millis;
import static com.consentry.serde.StateValues.map;
import static com.consentry.serde.StateValues.nanoOfMilli;

import com.consentry.avro.CartItem;
import com.consentry.avro.state.AddressLinks;
import com.consentry.avro.state.AddressNoticeOp;
import com.consentry.avro.state.CartLine;
import com.consentry.avro.state.PublishedAnswer;
import com.consentry.avro.state.HeldSend;
import com.consentry.avro.state.SeenSendRequest;
import com.consentry.avro.state.SuppressionLookup;
import com.consentry.ingest.Inbound;
import com.consentry.policy.Answer;
import com.consentry.policy.Channel;
import com.consentry.policy.SendRequest;
import com.consentry.serde.HistoryCodec;
import com.consentry.serde.PolicyCodec;
import com.consentry.serde.StateEnums;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The topology's state values to and from their Avro records of {@code state/}: {@link CustomerState},
 * {@link CartState}, {@link SendGate.Seen}, {@link HeldOutputs.Held}, {@link AddressNotice}, {@link Recheck} and the
 * address links.
 * Sorted maps and sets are written in order and come back as {@link TreeMap}s and {@link TreeSet}s; lists
 * keep their order.
 */
final class StateCodec {
    private static final StateEnums.Mapping<Inbound.CartAction, com.consentry.avro.CartAction> CART_ACTION =
            new StateEnums.Mapping<>(Inbound.CartAction.class, com.consentry.avro.CartAction.class);
    private static final StateEnums.Mapping<AddressNotice.Op, AddressNoticeOp> ADDRESS_OP =
            new StateEnums.Mapping<>(AddressNotice.Op.class, AddressNoticeOp.class);
    private static final Channel[] CHANNELS = Channel.values();

    private StateCodec() {
    }

    static com.consentry.avro.state.CustomerState toAvro(CustomerState s) {
        var r = new com.consentry.avro.state.CustomerState();
        r.setHistory(HistoryCodec.toAvro(s.history));
        List<PublishedAnswer> rows = new ArrayList<>(s.published.size());
        for (Map.Entry<String, Answer> e : s.published.entrySet()) {
            rows.add(row(e.getKey(), e.getValue()));
        }
        r.setPublished(rows);
        r.setViewAt(millis(s.viewAt));
        r.setViewAtNanoOfMilli(nanoOfMilli(s.viewAt));
        r.setSent(map(s.sent, PolicyCodec::toAvro));
        r.setLinkedHashes(new ArrayList<>(s.linkedHashes));
        r.setNextChangeAt(millis(s.nextChangeAt));
        r.setNextChangeAtNanoOfMilli(nanoOfMilli(s.nextChangeAt));
        r.setSweepDueAt(millis(s.sweepDueAt));
        r.setSweepDueAtNanoOfMilli(nanoOfMilli(s.sweepDueAt));
        r.setRetentionHorizon(millis(s.retentionHorizon));
        r.setRetentionHorizonNanoOfMilli(nanoOfMilli(s.retentionHorizon));
        r.setRetentionDueAt(millis(s.retentionDueAt));
        r.setRetentionDueAtNanoOfMilli(nanoOfMilli(s.retentionDueAt));
        return r;
    }

    static CustomerState fromAvro(com.consentry.avro.state.CustomerState r) {
        CustomerState s = new CustomerState();
        s.history = HistoryCodec.fromAvro(r.getHistory());
        for (PublishedAnswer row : r.getPublished()) {
            s.published.put(CustomerState.rowKey(row.getBrand(), StateEnums.CHANNEL.domain(row.getChannel())),
                    new Answer(row.getEligible(), StateEnums.REASON.domain(row.getReason()),
                            PolicyCodec.fromAvro(row.getEvidence())));
        }
        s.viewAt = instant(r.getViewAt(), r.getViewAtNanoOfMilli());
        s.sent = map(r.getSent(), PolicyCodec::fromAvro);
        s.linkedHashes = new TreeSet<>(r.getLinkedHashes());
        s.nextChangeAt = instant(r.getNextChangeAt(), r.getNextChangeAtNanoOfMilli());
        s.sweepDueAt = instant(r.getSweepDueAt(), r.getSweepDueAtNanoOfMilli());
        s.retentionHorizon = instant(r.getRetentionHorizon(), r.getRetentionHorizonNanoOfMilli());
        s.retentionDueAt = instant(r.getRetentionDueAt(), r.getRetentionDueAtNanoOfMilli());
        return s;
    }

    /** A published row: its key ({@link CustomerState#rowKey}: brand NUL channel) split into its parts. */
    private static PublishedAnswer row(String key, Answer a) {
        int nul = key.lastIndexOf('\u0000');
        if (nul < 0) {
            throw new IllegalStateException("published row key without a channel: '" + key + "'");
        }
        var r = new PublishedAnswer();
        r.setBrand(key.substring(0, nul));
        r.setChannel(StateEnums.CHANNEL.avro(channelAfter(key, nul + 1)));
        r.setEligible(a.eligible());
        r.setReason(StateEnums.REASON.avro(a.reason()));
        r.setEvidence(PolicyCodec.toAvro(a.evidence()));
        return r;
    }

    /** The channel named by {@code key} from {@code from} to its end (without cutting a substring out of it). */
    private static Channel channelAfter(String key, int from) {
        int length = key.length() - from;
        for (Channel c : CHANNELS) {
            if (c.name().length() == length && key.startsWith(c.name(), from)) {
                return c;
            }
        }
        throw new IllegalStateException("published row key with an unknown channel: '" + key + "'");
    }

    static com.consentry.avro.state.CartState toAvro(CartState c) {
        var r = new com.consentry.avro.state.CartState();
        r.setCustomerId(c.customerId);
        r.setCartId(c.cartId);
        r.setBrand(c.brand);
        r.setEvents(map(c.events, StateCodec::toAvro));
        r.setNextSeq(c.nextSeq);
        r.setClosedByOrder(c.closedByOrder);
        List<CartItem> items = new ArrayList<>(c.items.size());
        for (Map.Entry<String, Integer> e : c.items.entrySet()) {
            items.add(new CartItem(e.getKey(), e.getValue()));
        }
        r.setItems(items);
        r.setLastActivityAt(millis(c.lastActivityAt));
        r.setLastActivityAtNanoOfMilli(nanoOfMilli(c.lastActivityAt));
        r.setClosed(c.closed);
        r.setReminded(c.reminded);
        r.setDueAt(millis(c.dueAt));
        r.setDueAtNanoOfMilli(nanoOfMilli(c.dueAt));
        return r;
    }

    static CartState fromAvro(com.consentry.avro.state.CartState r) {
        CartState c = new CartState();
        c.customerId = r.getCustomerId();
        c.cartId = r.getCartId();
        c.brand = r.getBrand();
        c.events = map(r.getEvents(), StateCodec::fromAvro);
        c.nextSeq = r.getNextSeq();
        c.closedByOrder = r.getClosedByOrder();
        for (CartItem i : r.getItems()) {
            c.items.put(i.getSku(), i.getQuantity());
        }
        c.lastActivityAt = instant(r.getLastActivityAt(), r.getLastActivityAtNanoOfMilli());
        c.closed = r.getClosed();
        c.reminded = r.getReminded();
        c.dueAt = instant(r.getDueAt(), r.getDueAtNanoOfMilli());
        return c;
    }

    private static CartLine toAvro(CartState.Line l) {
        var r = new CartLine();
        r.setAt(millis(l.at()));
        r.setAtNanoOfMilli(nanoOfMilli(l.at()));
        r.setSeq(l.seq());
        r.setAction(CART_ACTION.avro(l.action()));
        r.setSku(l.sku());
        r.setQuantity(l.quantity());
        r.setEventId(l.eventId());
        return r;
    }

    private static CartState.Line fromAvro(CartLine r) {
        return new CartState.Line(instant(r.getAt(), r.getAtNanoOfMilli()), r.getSeq(), CART_ACTION.domain(r.getAction()),
                r.getSku(), r.getQuantity(), r.getEventId());
    }

    static SeenSendRequest toAvro(SendGate.Seen s) {
        var r = new SeenSendRequest();
        r.setRequestId(s.requestId());
        r.setCampaignId(s.campaignId());
        r.setBrand(s.brand());
        r.setChannel(StateEnums.CHANNEL.avro(s.channel()));
        r.setPurpose(StateEnums.PURPOSE.avro(s.purpose()));
        r.setAt(millis(s.at()));
        r.setAtNanoOfMilli(nanoOfMilli(s.at()));
        r.setOutcome(PolicyCodec.toAvro(s.outcome()));
        return r;
    }

    static SendGate.Seen fromAvro(SeenSendRequest r) {
        return new SendGate.Seen(r.getRequestId(), r.getCampaignId(), r.getBrand(),
                StateEnums.CHANNEL.domain(r.getChannel()), StateEnums.PURPOSE.domain(r.getPurpose()),
                instant(r.getAt(), r.getAtNanoOfMilli()), PolicyCodec.fromAvro(r.getOutcome()));
    }

    static com.consentry.avro.state.AddressNotice toAvro(AddressNotice n) {
        var r = new com.consentry.avro.state.AddressNotice();
        r.setOp(ADDRESS_OP.avro(n.op()));
        r.setCustomerId(n.customerId());
        r.setAt(millis(n.at()));
        r.setAtNanoOfMilli(nanoOfMilli(n.at()));
        return r;
    }

    static AddressNotice fromAvro(com.consentry.avro.state.AddressNotice r) {
        return new AddressNotice(ADDRESS_OP.domain(r.getOp()), r.getCustomerId(), instant(r.getAt(), r.getAtNanoOfMilli()));
    }

    static com.consentry.avro.state.Recheck toAvro(Recheck c) {
        var r = new com.consentry.avro.state.Recheck();
        r.setAt(millis(c.at()));
        r.setAtNanoOfMilli(nanoOfMilli(c.at()));
        r.setAddressHash(c.addressHash());
        return r;
    }

    static Recheck fromAvro(com.consentry.avro.state.Recheck r) {
        return new Recheck(instant(r.getAt(), r.getAtNanoOfMilli()), r.getAddressHash());
    }

    static AddressLinks toAvro(TreeSet<String> customerIds) {
        return new AddressLinks(new ArrayList<>(customerIds));
    }

    static TreeSet<String> fromAvro(AddressLinks r) {
        return new TreeSet<>(r.getCustomerIds());
    }

    static com.consentry.avro.state.HeldOutput toAvro(HeldOutputs.Held h) {
        var r = new com.consentry.avro.state.HeldOutput();
        r.setHeldAtMillis(h.heldAtMillis());
        r.setEventTimeMillis(h.eventTimeMillis());
        r.setCustomerId(h.customerId());
        List<SuppressionLookup> lookups = new ArrayList<>(h.lookups().size());
        h.lookups().forEach(l -> lookups.add(new SuppressionLookup(l.addressHash(), new ArrayList<>(l.entries()))));
        r.setLookups(lookups);
        r.setSend(h.send() == null ? null : toAvro(h.send()));
        r.setView(bytes(h.view()));
        r.setErasedAt(millis(h.erasedAt()));
        r.setErasedAtNanoOfMilli(h.erasedAt() == null ? 0 : nanoOfMilli(h.erasedAt()));
        return r;
    }

    private static HeldSend toAvro(HeldOutputs.Send d) {
        var r = new HeldSend();
        r.setRequestId(d.request().requestId());
        r.setCampaignId(d.campaignId());
        r.setCartId(d.cartId());
        r.setBrand(d.request().brand());
        r.setChannel(StateEnums.CHANNEL.avro(d.request().channel()));
        r.setPurpose(StateEnums.PURPOSE.avro(d.request().purpose()));
        r.setAt(millis(d.request().at()));
        r.setAtNanoOfMilli(nanoOfMilli(d.request().at()));
        r.setAddressHash(d.request().addressHash());
        r.setRepeat(d.repeat());
        r.setOutcome(PolicyCodec.toAvro(d.outcome()));
        r.setReminder(bytes(d.reminder()));
        return r;
    }

    static HeldOutputs.Held fromAvro(com.consentry.avro.state.HeldOutput r) {
        List<HeldOutputs.Lookup> lookups = new ArrayList<>(r.getLookups().size());
        r.getLookups().forEach(l -> lookups.add(new HeldOutputs.Lookup(l.getAddressHash(), List.copyOf(l.getEntries()))));
        return new HeldOutputs.Held(r.getHeldAtMillis(), r.getEventTimeMillis(), r.getCustomerId(), lookups,
                r.getSend() == null ? null : fromAvro(r.getSend()), bytes(r.getView()),
                r.getErasedAt() == null ? null : instant(r.getErasedAt(), r.getErasedAtNanoOfMilli()));
    }

    private static HeldOutputs.Send fromAvro(HeldSend r) {
        SendRequest req = new SendRequest(r.getRequestId(), r.getBrand(), StateEnums.CHANNEL.domain(r.getChannel()),
                StateEnums.PURPOSE.domain(r.getPurpose()), instant(r.getAt(), r.getAtNanoOfMilli()), r.getAddressHash());
        return new HeldOutputs.Send(req, r.getCampaignId(), r.getCartId(), r.getRepeat(), PolicyCodec.fromAvro(r.getOutcome()),
                bytes(r.getReminder()));
    }

    private static ByteBuffer bytes(byte[] b) {
        return b == null ? null : ByteBuffer.wrap(b);
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
