package com.consentry.ingest;

import com.consentry.avro.CartEvent;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.CustomerEvent;
import com.consentry.avro.CustomerEventType;
import com.consentry.avro.OrderEvent;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeEvent;
import com.consentry.policy.Addresses;
import com.consentry.policy.Brands;
import com.consentry.policy.Channel;
import com.consentry.policy.ConsentStatus;
import com.consentry.policy.OrderStatus;
import com.consentry.policy.ProfileUpdate;
import com.consentry.policy.Purpose;
import com.consentry.policy.UnsubscribeSource;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the Avro records of the input topics into {@link Inbound} events, or throws
 * {@link InvalidEventException} naming the field that violates the schema's meaning: a missing
 * customerId, an enum symbol this version does not know (read as UNKNOWN), {@code *} where a concrete
 * brand is needed, an unusable timezone, country or quantity, an identifier or brand with a NUL character,
 * or an instant the service cannot carry ({@link EventTimeRules}).
 */
public final class InboundMapper {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Set<String> PROFILE_FIELDS = Set.of(ProfileUpdate.COUNTRY, ProfileUpdate.BIRTH_DATE,
            ProfileUpdate.TIMEZONE, ProfileUpdate.EMAIL, ProfileUpdate.PHONE);

    private InboundMapper() {
    }

    /**
     * @param recordTime the timestamp of the Kafka record that carries {@code avro} (for {@code simulate} and
     *                   {@code produce}: the line's {@code at}, which {@code produce} stamps its records with)
     */
    public static Inbound map(Object avro, Instant recordTime, EventTimeRules rules) {
        Inbound in = fields(avro);
        rules.check(in.at(), recordTime);
        return in;
    }

    private static Inbound fields(Object avro) {
        if (avro instanceof CustomerEvent e) {
            return customer(e);
        }
        if (avro instanceof ConsentEvent e) {
            return consent(e);
        }
        if (avro instanceof UnsubscribeEvent e) {
            return unsubscribe(e);
        }
        if (avro instanceof OrderEvent e) {
            return order(e);
        }
        if (avro instanceof CartEvent e) {
            return cart(e);
        }
        if (avro instanceof SendRequest e) {
            return send(e);
        }
        throw new InvalidEventException("unsupported record type " + (avro == null ? "null" : avro.getClass().getName()));
    }

    static Inbound.Customer customer(CustomerEvent e) {
        String id = required("eventId", e.getEventId());
        String customerId = required("customerId", e.getCustomerId());
        Instant at = requiredTime(e.getEventTime());
        CustomerEventType type = e.getType();
        if (type == null || type == CustomerEventType.UNKNOWN) {
            throw unknown("eventType", "UPSERT, ERASURE_REQUESTED");
        }
        Set<String> fields = new LinkedHashSet<>();
        if (e.getCountry() != null) {
            fields.add(ProfileUpdate.COUNTRY);
        }
        if (e.getBirthDate() != null) {
            fields.add(ProfileUpdate.BIRTH_DATE);
        }
        if (e.getTimezone() != null) {
            fields.add(ProfileUpdate.TIMEZONE);
        }
        if (e.getEmail() != null) {
            fields.add(ProfileUpdate.EMAIL);
        }
        if (e.getPhone() != null) {
            fields.add(ProfileUpdate.PHONE);
        }
        for (String cleared : e.getClearedFields()) {
            if (!PROFILE_FIELDS.contains(cleared)) {
                throw new InvalidEventException("clearedFields: unknown field '" + cleared + "'");
            }
            fields.add(cleared);
        }
        String country = e.getCountry();
        if (country != null && !COUNTRY.matcher(country).matches()) {
            throw new InvalidEventException("country: '" + country + "' is not an ISO 3166-1 alpha-2 code");
        }
        String tz = e.getTimezone();
        if (tz != null) {
            try {
                ZoneId.of(tz);
            } catch (DateTimeException ex) {
                throw new InvalidEventException("timezone: '" + tz + "' is not an IANA timezone");
            }
        }
        if (e.getEmail() != null && !e.getEmail().contains("@")) {
            throw new InvalidEventException("email: not an email address");
        }
        return new Inbound.Customer(id, at, customerId, type == CustomerEventType.ERASURE_REQUESTED, Set.copyOf(fields),
                country, EventTimeRules.inRange("birthDate", e.getBirthDate()), tz, e.getEmail(), e.getPhone());
    }

    static Inbound.Consent consent(ConsentEvent e) {
        return new Inbound.Consent(required("eventId", e.getEventId()), requiredTime(e.getEventTime()),
                required("customerId", e.getCustomerId()), required("brand", e.getBrand()),
                channel(e.getChannel()), consentStatus(e.getStatus()), required("source", e.getSource()),
                EventTimeRules.inRange("expiresAt", e.getExpiresAt()));
    }

    static Inbound.Unsubscribe unsubscribe(UnsubscribeEvent e) {
        String customerId = noNul("customerId", blankToNull(e.getCustomerId()));
        String address = blankToNull(e.getAddress());
        if (customerId == null && address == null) {
            throw new InvalidEventException("customerId: missing (an unsubscribe needs a customerId or an address)");
        }
        if (customerId == null && Addresses.normalise(address, null).isEmpty()) {
            throw new InvalidEventException("address: not an email address or a phone number in international form");
        }
        String brand = e.getBrand() == null || e.getBrand().isBlank() ? Brands.ALL : noNul("brand", e.getBrand());
        Channel channel = e.getChannel() == null ? null : channel(e.getChannel());
        UnsubscribeSource source = null;
        if (e.getSource() != null) {
            if (e.getSource() == com.consentry.avro.UnsubscribeSource.UNKNOWN) {
                throw unknown("source", symbols(UnsubscribeSource.values()));
            }
            source = UnsubscribeSource.valueOf(e.getSource().name());
        }
        return new Inbound.Unsubscribe(required("eventId", e.getEventId()), requiredTime(e.getEventTime()),
                customerId, brand, channel, source, address);
    }

    static Inbound.Order order(OrderEvent e) {
        if (e.getStatus() == null || e.getStatus() == com.consentry.avro.OrderStatus.UNKNOWN) {
            throw unknown("status", symbols(OrderStatus.values()));
        }
        return new Inbound.Order(required("eventId", e.getEventId()), requiredTime(e.getEventTime()),
                required("customerId", e.getCustomerId()), required("orderId", e.getOrderId()),
                concreteBrand(e.getBrand()), OrderStatus.valueOf(e.getStatus().name()),
                noNul("cartId", blankToNull(e.getCartId())));
    }

    static Inbound.Cart cart(CartEvent e) {
        if (e.getAction() == null || e.getAction() == com.consentry.avro.CartAction.UNKNOWN) {
            throw unknown("action", symbols(Inbound.CartAction.values()));
        }
        Inbound.CartAction action = Inbound.CartAction.valueOf(e.getAction().name());
        String sku = null;
        int quantity = 0;
        if (action == Inbound.CartAction.ITEM_ADDED || action == Inbound.CartAction.ITEM_REMOVED) {
            sku = required("sku", e.getSku());
            if (e.getQuantity() == null) {
                throw new InvalidEventException("quantity: missing (needed for " + action + ")");
            }
            if (e.getQuantity() <= 0) {
                throw new InvalidEventException("quantity: must be a positive integer, got " + e.getQuantity());
            }
            quantity = e.getQuantity();
        }
        return new Inbound.Cart(required("eventId", e.getEventId()), requiredTime(e.getEventTime()),
                required("customerId", e.getCustomerId()), required("cartId", e.getCartId()),
                concreteBrand(e.getBrand()), action, sku, quantity);
    }

    static Inbound.Send send(SendRequest e) {
        if (e.getPurpose() == null || e.getPurpose() == com.consentry.avro.Purpose.UNKNOWN) {
            throw unknown("purpose", symbols(Purpose.values()));
        }
        return new Inbound.Send(required("eventId", e.getEventId()), requiredTime(e.getEventTime()),
                required("customerId", e.getCustomerId()), required("requestId", e.getRequestId()),
                e.getCampaignId(), concreteBrand(e.getBrand()), channel(e.getChannel()),
                Purpose.valueOf(e.getPurpose().name()), blankToNull(e.getAddress()));
    }

    public static Channel channel(com.consentry.avro.Channel c) {
        if (c == null || c == com.consentry.avro.Channel.UNKNOWN) {
            throw unknown("channel", symbols(Channel.values()));
        }
        return Channel.valueOf(c.name());
    }

    private static ConsentStatus consentStatus(com.consentry.avro.ConsentStatus s) {
        if (s == null || s == com.consentry.avro.ConsentStatus.UNKNOWN) {
            throw unknown("status", symbols(ConsentStatus.values()));
        }
        return ConsentStatus.valueOf(s.name());
    }

    /** A brand that must name one brand: not missing, not {@code *}. */
    public static String concreteBrand(String brand) {
        String b = required("brand", brand);
        if (Brands.ALL.equals(b)) {
            throw new InvalidEventException("brand: '*' is not allowed here, a concrete brand is needed");
        }
        return b;
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(field + ": missing");
        }
        return noNul(field, value);
    }

    /**
     * An identifier or brand with a NUL character: the state stores' keys join identifiers with U+0000
     * (customerId, cartId; brand, channel), so one would be read back as another key, or as none.
     */
    private static String noNul(String field, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw new InvalidEventException(field + ": contains the character U+0000 (NUL), which identifiers may not");
        }
        return value;
    }

    private static Instant requiredTime(Instant at) {
        if (at == null) {
            throw new InvalidEventException("at: missing");
        }
        return at;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static InvalidEventException unknown(String field, String allowed) {
        return new InvalidEventException(field + ": unknown value (expected one of " + allowed + ")");
    }

    private static String symbols(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.joining(", "));
    }
}
