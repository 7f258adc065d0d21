package com.consentry.serde;

import static com.consentry.serde.StateValues.instant;
import static com.consentry.serde.StateValues.millis;
import static com.consentry.serde.StateValues.map;
import static com.consentry.serde.StateValues.nanoOfMilli;

import com.consentry.policy.CartFact;
import com.consentry.policy.ConsentFact;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.OrderFact;
import com.consentry.policy.ProfileUpdate;
import com.consentry.policy.UnsubscribeFact;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link CustomerHistory} and its facts to and from their Avro records of {@code state/}. Lists keep their
 * (arrival) order; a profile update's fields come back as an immutable set, its phone hashes by region as
 * a {@link TreeMap}, as the service makes them.
 */
public final class HistoryCodec {
    private HistoryCodec() {
    }

    public static com.consentry.avro.state.CustomerHistory toAvro(CustomerHistory h) {
        var r = new com.consentry.avro.state.CustomerHistory();
        r.setProfile(map(h.profile, HistoryCodec::toAvro));
        r.setConsents(map(h.consents, HistoryCodec::toAvro));
        r.setUnsubscribes(map(h.unsubscribes, HistoryCodec::toAvro));
        r.setOrders(map(h.orders, HistoryCodec::toAvro));
        r.setCarts(map(h.carts, HistoryCodec::toAvro));
        r.setErasedAt(millis(h.erasedAt));
        r.setErasedAtNanoOfMilli(nanoOfMilli(h.erasedAt));
        r.setErasureEventId(h.erasureEventId);
        r.setNextSeq(h.nextSeq);
        return r;
    }

    public static CustomerHistory fromAvro(com.consentry.avro.state.CustomerHistory r) {
        CustomerHistory h = new CustomerHistory();
        h.profile = map(r.getProfile(), HistoryCodec::fromAvro);
        h.consents = map(r.getConsents(), HistoryCodec::fromAvro);
        h.unsubscribes = map(r.getUnsubscribes(), HistoryCodec::fromAvro);
        h.orders = map(r.getOrders(), HistoryCodec::fromAvro);
        h.carts = map(r.getCarts(), HistoryCodec::fromAvro);
        h.erasedAt = instant(r.getErasedAt(), r.getErasedAtNanoOfMilli());
        h.erasureEventId = r.getErasureEventId();
        h.nextSeq = r.getNextSeq();
        return h;
    }

    static com.consentry.avro.state.ProfileUpdate toAvro(ProfileUpdate u) {
        var r = new com.consentry.avro.state.ProfileUpdate();
        r.setEventId(u.eventId());
        r.setAt(millis(u.at()));
        r.setAtNanoOfMilli(nanoOfMilli(u.at()));
        r.setSeq(u.seq());
        ArrayList<String> fields = new ArrayList<>(u.fields());
        fields.sort(null); // the same bytes for the same value, whatever the set's iteration order
        r.setFields(fields);
        r.setCountry(u.country());
        r.setBirthDate(u.birthDate() == null ? null : (int) u.birthDate().toEpochDay());
        r.setTimezone(u.timezone());
        r.setEmailHash(u.emailHash());
        r.setPhoneHash(u.phoneHash());
        r.setPhoneHashByRegion(u.phoneHashByRegion());
        return r;
    }

    static ProfileUpdate fromAvro(com.consentry.avro.state.ProfileUpdate r) {
        Map<String, String> byRegion = r.getPhoneHashByRegion();
        return new ProfileUpdate(r.getEventId(), instant(r.getAt(), r.getAtNanoOfMilli()), r.getSeq(),
                Set.copyOf(r.getFields()), r.getCountry(),
                r.getBirthDate() == null ? null : LocalDate.ofEpochDay(r.getBirthDate()), r.getTimezone(),
                r.getEmailHash(), r.getPhoneHash(), byRegion == null ? null : new TreeMap<>(byRegion));
    }

    static com.consentry.avro.state.ConsentFact toAvro(ConsentFact c) {
        var r = new com.consentry.avro.state.ConsentFact();
        r.setEventId(c.eventId());
        r.setAt(millis(c.at()));
        r.setAtNanoOfMilli(nanoOfMilli(c.at()));
        r.setSeq(c.seq());
        r.setBrand(c.brand());
        r.setChannel(StateEnums.CHANNEL.avro(c.channel()));
        r.setStatus(StateEnums.CONSENT_STATUS.avro(c.status()));
        r.setSource(c.source());
        r.setExpiresAt(millis(c.expiresAt()));
        r.setExpiresAtNanoOfMilli(nanoOfMilli(c.expiresAt()));
        return r;
    }

    static ConsentFact fromAvro(com.consentry.avro.state.ConsentFact r) {
        return new ConsentFact(r.getEventId(), instant(r.getAt(), r.getAtNanoOfMilli()), r.getSeq(), r.getBrand(),
                StateEnums.CHANNEL.domain(r.getChannel()), StateEnums.CONSENT_STATUS.domain(r.getStatus()),
                r.getSource(), instant(r.getExpiresAt(), r.getExpiresAtNanoOfMilli()));
    }

    static com.consentry.avro.state.UnsubscribeFact toAvro(UnsubscribeFact u) {
        var r = new com.consentry.avro.state.UnsubscribeFact();
        r.setEventId(u.eventId());
        r.setAt(millis(u.at()));
        r.setAtNanoOfMilli(nanoOfMilli(u.at()));
        r.setSeq(u.seq());
        r.setBrand(u.brand());
        r.setChannel(StateEnums.CHANNEL.avro(u.channel()));
        r.setSource(StateEnums.UNSUBSCRIBE_SOURCE.avro(u.source()));
        r.setAddressHash(u.addressHash());
        return r;
    }

    static UnsubscribeFact fromAvro(com.consentry.avro.state.UnsubscribeFact r) {
        return new UnsubscribeFact(r.getEventId(), instant(r.getAt(), r.getAtNanoOfMilli()), r.getSeq(), r.getBrand(),
                StateEnums.CHANNEL.domain(r.getChannel()), StateEnums.UNSUBSCRIBE_SOURCE.domain(r.getSource()),
                r.getAddressHash());
    }

    static com.consentry.avro.state.OrderFact toAvro(OrderFact o) {
        var r = new com.consentry.avro.state.OrderFact();
        r.setEventId(o.eventId());
        r.setAt(millis(o.at()));
        r.setAtNanoOfMilli(nanoOfMilli(o.at()));
        r.setSeq(o.seq());
        r.setOrderId(o.orderId());
        r.setBrand(o.brand());
        r.setStatus(StateEnums.ORDER_STATUS.avro(o.status()));
        r.setCartId(o.cartId());
        return r;
    }

    static OrderFact fromAvro(com.consentry.avro.state.OrderFact r) {
        return new OrderFact(r.getEventId(), instant(r.getAt(), r.getAtNanoOfMilli()), r.getSeq(), r.getOrderId(),
                r.getBrand(), StateEnums.ORDER_STATUS.domain(r.getStatus()), r.getCartId());
    }

    static com.consentry.avro.state.CartFact toAvro(CartFact c) {
        var r = new com.consentry.avro.state.CartFact();
        r.setEventId(c.eventId());
        r.setAt(millis(c.at()));
        r.setAtNanoOfMilli(nanoOfMilli(c.at()));
        r.setSeq(c.seq());
        r.setBrand(c.brand());
        return r;
    }

    static CartFact fromAvro(com.consentry.avro.state.CartFact r) {
        return new CartFact(r.getEventId(), instant(r.getAt(), r.getAtNanoOfMilli()), r.getSeq(), r.getBrand());
    }
}
