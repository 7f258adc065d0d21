package com.consentry.simulate;

import com.consentry.avro.CartAction;
import com.consentry.avro.CartEvent;
import com.consentry.avro.Channel;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEvent;
import com.consentry.avro.CustomerEventType;
import com.consentry.avro.OrderEvent;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeEvent;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.ingest.EventTimeRules;
import com.consentry.ingest.InboundMapper;
import com.consentry.ingest.InvalidEventException;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parses one line of the {@code simulate} input format (see {@code simulate.md}) into the Avro record
 * of its input topic, validated exactly as the topology validates what it reads, as a record stamped with
 * the line's {@code at} (as {@code produce} stamps it). Shared by {@code simulate} and {@code produce}.
 * The {@code at} of a {@code clock} or {@code query} line follows the same {@link EventTimeRules}: it moves
 * {@code simulate}'s clock.
 */
public final class LineParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Topics topics;
    private final EventTimeRules times;

    /** With the default {@link EventTimeRules}. */
    public LineParser(Topics topics) {
        this(topics, EventTimeRules.DEFAULTS);
    }

    public LineParser(Topics topics, EventTimeRules times) {
        this.topics = topics;
        this.times = times;
    }

    /** A line that cannot be used; the message says what is wrong. */
    public static final class BadLineException extends Exception {
        public BadLineException(String message) {
            super(message);
        }
    }

    public ParsedLine parse(String text, int lineNo) throws BadLineException {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadLineException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new BadLineException("not a JSON object");
        }
        String type = text(n, "type", true);
        Instant at = instant(n, "at", true);
        String eventId = text(n, "eventId", false);
        if (eventId == null) {
            eventId = "line:" + lineNo;
        }
        try {
            return switch (type) {
                case "clock" -> new ParsedLine.Clock(lineNo, checked(at));
                case "query" -> new ParsedLine.Query(lineNo, checked(at), text(n, "customerId", true),
                        InboundMapper.concreteBrand(text(n, "brand", true)),
                        com.consentry.policy.Channel.valueOf(enumValue(n, "channel", Channel.class, true).name()));
                case "customer" -> event(lineNo, at, topics.customerEvents(), customer(n, eventId, at));
                case "consent" -> event(lineNo, at, topics.consentEvents(), ConsentEvent.newBuilder()
                        .setEventId(eventId).setEventTime(at)
                        .setCustomerId(text(n, "customerId", true))
                        .setBrand(text(n, "brand", true))
                        .setChannel(enumValue(n, "channel", Channel.class, true))
                        .setStatus(enumValue(n, "status", ConsentStatus.class, true))
                        .setSource(text(n, "source", true))
                        .setExpiresAt(instant(n, "expiresAt", false))
                        .build());
                case "unsubscribe" -> {
                    String brand = text(n, "brand", false);
                    yield event(lineNo, at, topics.unsubscribeEvents(), UnsubscribeEvent.newBuilder()
                            .setEventId(eventId).setEventTime(at)
                            .setCustomerId(text(n, "customerId", false))
                            .setBrand(brand == null ? "*" : brand)
                            .setChannel(enumValue(n, "channel", Channel.class, false))
                            .setSource(enumValue(n, "source", UnsubscribeSource.class, false))
                            .setAddress(text(n, "address", false))
                            .build());
                }
                case "order" -> event(lineNo, at, topics.orderEvents(), OrderEvent.newBuilder()
                        .setEventId(eventId).setEventTime(at)
                        .setOrderId(text(n, "orderId", true))
                        .setCustomerId(text(n, "customerId", true))
                        .setBrand(text(n, "brand", true))
                        .setStatus(enumValue(n, "status", OrderStatus.class, true))
                        .setCartId(text(n, "cartId", false))
                        .build());
                case "cart" -> event(lineNo, at, topics.cartEvents(), CartEvent.newBuilder()
                        .setEventId(eventId).setEventTime(at)
                        .setCartId(text(n, "cartId", true))
                        .setCustomerId(text(n, "customerId", true))
                        .setBrand(text(n, "brand", true))
                        .setAction(enumValue(n, "action", CartAction.class, true))
                        .setSku(text(n, "sku", false))
                        .setQuantity(positiveInt(n, "quantity"))
                        .build());
                case "send" -> event(lineNo, at, topics.sendRequests(), SendRequest.newBuilder()
                        .setEventId(eventId).setEventTime(at)
                        .setRequestId(text(n, "requestId", true))
                        .setCampaignId(text(n, "campaignId", false))
                        .setCustomerId(text(n, "customerId", true))
                        .setBrand(text(n, "brand", true))
                        .setChannel(enumValue(n, "channel", Channel.class, true))
                        .setPurpose(enumValue(n, "purpose", Purpose.class, true))
                        .setAddress(text(n, "address", false))
                        .build());
                default -> throw new BadLineException("type: unknown value '" + type
                        + "' (expected customer, consent, unsubscribe, order, cart, send, query or clock)");
            };
        } catch (InvalidEventException e) {
            throw new BadLineException(e.getMessage());
        }
    }

    private ParsedLine.Event event(int line, Instant at, String topic, SpecificRecord avro) {
        return new ParsedLine.Event(line, at, topic, avro, InboundMapper.map(avro, at, times));
    }

    private Instant checked(Instant at) {
        times.checkAt(at);
        return at;
    }

    private static CustomerEvent customer(JsonNode n, String eventId, Instant at) throws BadLineException {
        CustomerEvent.Builder b = CustomerEvent.newBuilder()
                .setEventId(eventId).setEventTime(at)
                .setCustomerId(text(n, "customerId", true))
                .setType(enumValue(n, "eventType", CustomerEventType.class, true))
                .setCountry(text(n, "country", false))
                .setTimezone(text(n, "timezone", false))
                .setEmail(text(n, "email", false))
                .setPhone(text(n, "phone", false));
        String birth = text(n, "birthDate", false);
        if (birth != null) {
            try {
                b.setBirthDate(LocalDate.parse(birth));
            } catch (DateTimeParseException e) {
                throw new BadLineException("birthDate: '" + birth + "' is not an ISO date (YYYY-MM-DD)");
            }
        }
        List<String> cleared = new ArrayList<>();
        for (String f : List.of("country", "birthDate", "timezone", "email", "phone")) {
            if (n.has(f) && n.get(f).isNull()) {
                cleared.add(f);
            }
        }
        return b.setClearedFields(cleared).build();
    }

    private static String text(JsonNode n, String field, boolean required) throws BadLineException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadLineException(field + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new BadLineException(field + ": expected a string, got " + v.getNodeType().name().toLowerCase());
        }
        if (required && v.asText().isBlank()) {
            throw new BadLineException(field + ": missing");
        }
        return v.asText();
    }

    static Instant instant(JsonNode n, String field, boolean required) throws BadLineException {
        String s = text(n, field, required);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadLineException(field + ": '" + s + "' is not an ISO-8601 instant (e.g. 2026-03-01T10:00:00Z)");
        }
    }

    private static <E extends Enum<E>> E enumValue(JsonNode n, String field, Class<E> type, boolean required)
            throws BadLineException {
        String s = text(n, field, required);
        if (s == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s) && !e.name().equals("UNKNOWN")) {
                return e;
            }
        }
        throw new BadLineException(field + ": unknown value '" + s + "' (expected one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).filter(x -> !x.equals("UNKNOWN"))
                .collect(Collectors.joining(", ")) + ")");
    }

    private static Integer positiveInt(JsonNode n, String field) throws BadLineException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new BadLineException(field + ": expected a positive integer, got " + v);
        }
        return v.asInt();
    }
}
