package com.consentry.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixture: one customer's history, built in arrival order (each call takes the next arrival
 * sequence number), plus a suppression list and a policy configuration, decided with the real engine.
 */
final class TestCustomer {
    /** The instant most cases decide at. */
    static final Instant T = Instant.parse("2025-06-15T12:00:00Z");
    /** Early enough to precede every other fact of a case. */
    static final Instant LONG_AGO = T.minus(Duration.ofDays(3 * 365));

    static final String NAP = "NET-A-PORTER";
    static final String MRP = "MR PORTER";
    static final String OUTNET = "THE OUTNET";
    static final String ALL = "*";

    static final Addresses ADDRESSES = new Addresses("test-secret");
    static final String EMAIL = "jane@example.com";
    static final String PHONE = "+447700900123";

    final CustomerHistory h = new CustomerHistory();
    final List<Suppression> suppressions = new ArrayList<>();
    PolicyConfig config = PolicyConfig.defaults();
    private int ids;
    private String last;

    static TestCustomer customer() {
        return new TestCustomer();
    }

    /** A customer in {@code country} (null: none) with an email and a phone, known since long ago. */
    static TestCustomer in(String country) {
        return new TestCustomer().upsert(LONG_AGO, Map.of(ProfileUpdate.EMAIL, EMAIL, ProfileUpdate.PHONE, PHONE))
                .country(LONG_AGO, country);
    }

    static Instant ago(Duration d) {
        return T.minus(d);
    }

    static Instant daysAgo(long days) {
        return T.minus(Duration.ofDays(days));
    }

    static Instant monthsBefore(Instant t, long months) {
        return t.atOffset(ZoneOffset.UTC).minusMonths(months).toInstant();
    }

    static String emailHash(String email) {
        return ADDRESSES.hash(Addresses.normaliseEmail(email));
    }

    static String phoneHash(String phone) {
        return ADDRESSES.hashOf(phone, null).orElseThrow();
    }

    TestCustomer config(PolicyConfig c) {
        this.config = c;
        return this;
    }

    TestCustomer config(Map<String, String> props) {
        return config(PolicyConfig.fromProperties(props));
    }

    /** The event id of the last fact added. */
    String last() {
        return last;
    }

    private String id(String prefix) {
        last = prefix + (++ids);
        return last;
    }

    // ---- customer UPSERTs -------------------------------------------------------------------------

    /** An UPSERT carrying exactly the given fields (email and phone in clear; hashed here). */
    TestCustomer upsert(Instant at, Map<String, Object> fields) {
        String country = (String) fields.get(ProfileUpdate.COUNTRY);
        String phone = (String) fields.get(ProfileUpdate.PHONE);
        String email = (String) fields.get(ProfileUpdate.EMAIL);
        h.profile.add(new ProfileUpdate(id("p"), at, h.takeSeq(), Set.copyOf(fields.keySet()), country,
                (LocalDate) fields.get(ProfileUpdate.BIRTH_DATE), (String) fields.get(ProfileUpdate.TIMEZONE),
                email == null ? null : emailHash(email),
                phone == null ? null : ADDRESSES.hashOf(phone, country).orElseThrow()));
        return this;
    }

    /** An UPSERT of the country only; a null country carries an explicit null (clears it). */
    TestCustomer country(Instant at, String country) {
        Set<String> f = new HashSet<>(Set.of(ProfileUpdate.COUNTRY));
        h.profile.add(new ProfileUpdate(id("p"), at, h.takeSeq(), f, country, null, null, null, null));
        return this;
    }

    TestCustomer timezone(Instant at, String tz) {
        h.profile.add(new ProfileUpdate(id("p"), at, h.takeSeq(), Set.of(ProfileUpdate.TIMEZONE), null, null, tz,
                null, null));
        return this;
    }

    TestCustomer born(Instant at, LocalDate birthDate) {
        h.profile.add(new ProfileUpdate(id("p"), at, h.takeSeq(), Set.of(ProfileUpdate.BIRTH_DATE), null, birthDate,
                null, null, null));
        return this;
    }

    // ---- consents and unsubscribes ----------------------------------------------------------------

    TestCustomer consent(Instant at, String brand, Channel ch, ConsentStatus status, Instant expiresAt) {
        h.consents.add(new ConsentFact(id("c"), at, h.takeSeq(), brand, ch, status, "PREFERENCE_CENTER", expiresAt));
        return this;
    }

    TestCustomer grant(Instant at, String brand, Channel ch) {
        return consent(at, brand, ch, ConsentStatus.GRANTED, null);
    }

    TestCustomer grantUntil(Instant at, String brand, Channel ch, Instant expiresAt) {
        return consent(at, brand, ch, ConsentStatus.GRANTED, expiresAt);
    }

    TestCustomer confirm(Instant at, String brand, Channel ch) {
        return consent(at, brand, ch, ConsentStatus.CONFIRMED, null);
    }

    TestCustomer withdraw(Instant at, String brand, Channel ch) {
        return consent(at, brand, ch, ConsentStatus.WITHDRAWN, null);
    }

    /** An unsubscribe of the customer; a null channel is every channel. */
    TestCustomer unsubscribe(Instant at, String brand, Channel ch) {
        return unsubscribe(at, brand, ch, UnsubscribeSource.LINK, null);
    }

    TestCustomer unsubscribe(Instant at, String brand, Channel ch, UnsubscribeSource source, String addressHash) {
        h.unsubscribes.add(new UnsubscribeFact(id("u"), at, h.takeSeq(), brand, ch, source, addressHash));
        return this;
    }

    TestCustomer order(Instant at, String brand, OrderStatus status) {
        String id = id("o");
        h.orders.add(new OrderFact(id, at, h.takeSeq(), "order-" + id, brand, status, null));
        return this;
    }

    TestCustomer placed(Instant at, String brand) {
        return order(at, brand, OrderStatus.PLACED);
    }

    TestCustomer cart(Instant at, String brand) {
        h.carts.add(new CartFact(id("k"), at, h.takeSeq(), brand));
        return this;
    }

    CustomerHistory.Erased erase(Instant at) {
        return h.erase(id("e"), at);
    }

    TestCustomer erased(Instant at) {
        erase(at);
        return this;
    }

    // ---- suppression list -------------------------------------------------------------------------

    TestCustomer suppress(String addressHash, Instant at, Channel... channels) {
        suppressions.add(new Suppression(addressHash, EnumSet.copyOf(List.of(channels)), at, id("s"), "COMPLAINT"));
        return this;
    }

    SuppressionList suppressionList() {
        List<Suppression> copy = List.copyOf(suppressions);
        return hash -> copy.stream().filter(s -> s.addressHash().equals(hash)).toList();
    }

    // ---- deciding ---------------------------------------------------------------------------------

    EligibilityPolicy policy() {
        return new EligibilityPolicy(config);
    }

    Answer decide(String brand, Channel ch) {
        return decide(brand, ch, T);
    }

    Answer decide(String brand, Channel ch, Instant at) {
        return policy().decide(h, suppressionList(), brand, ch, at);
    }

    Answer decide(String brand, Channel ch, Instant at, String requestAddressHash) {
        return policy().decide(h, suppressionList(), brand, ch, at, requestAddressHash);
    }

    SendOutcome send(SendRequest req, List<SentMessage> sent) {
        return new SendPolicy(policy()).decide(h, suppressionList(), req, sent);
    }
}
