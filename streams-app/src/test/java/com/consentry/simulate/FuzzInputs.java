package com.consentry.simulate;

import com.consentry.avro.CartAction;
import com.consentry.avro.CartEvent;
import com.consentry.avro.Channel;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEventType;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.SendRequest;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.CustomerEvent;
import com.consentry.avro.OrderEvent;
import com.consentry.avro.UnsubscribeEvent;
import com.consentry.topology.Topics;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** What the fuzz tests feed the decode path and the line parser: seeds, mutations and random values. */
public final class FuzzInputs {
    /** Varints and bytes that make Avro lengths and counts huge, negative or absurd. */
    private static final List<byte[]> INTERESTING = List.of(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
            new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, new byte[] {0x01}, new byte[] {0x03},
            new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                    (byte) 0x80, (byte) 0x80, 0x01},
            new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                    (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
            new byte[] {0x00}, new byte[] {(byte) 0x7f}, new byte[] {(byte) 0x80});

    private FuzzInputs() {
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Every line of the repository's scenario files (the input files, not the expectations). */
    public static List<String> scenarioLines() {
        try {
            Path dir = Path.of(FuzzInputs.class.getResource("/scenarios").toURI());
            List<String> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".jsonl") && !p.toString().endsWith(".expect.jsonl"))
                        .sorted().toList()) {
                    Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(out::add);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The input topic of an input record. */
    public static String topicOf(Topics topics, SpecificRecord r) {
        if (r instanceof CustomerEvent) {
            return topics.customerEvents();
        } else if (r instanceof ConsentEvent) {
            return topics.consentEvents();
        } else if (r instanceof UnsubscribeEvent) {
            return topics.unsubscribeEvents();
        } else if (r instanceof OrderEvent) {
            return topics.orderEvents();
        } else if (r instanceof CartEvent) {
            return topics.cartEvents();
        }
        return topics.sendRequests();
    }

    /** One change to a byte string: where (as a share of its length), what, and how much. */
    record ByteOp(int kind, double where, int length, byte[] bytes) {
        byte[] apply(byte[] in) {
            int at = (int) Math.min(in.length, Math.floor(where * (in.length + 1)));
            int end = Math.min(in.length, at + length);
            byte[] out;
            switch (kind) {
                case 0 -> { // flip one bit
                    out = in.clone();
                    if (at < out.length) {
                        out[at] ^= (byte) (1 << (length % 8));
                    }
                }
                case 1 -> { // overwrite
                    out = in.clone();
                    for (int i = 0; i < bytes.length && at + i < out.length; i++) {
                        out[at + i] = bytes[i];
                    }
                }
                case 2 -> { // insert
                    out = new byte[in.length + bytes.length];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(bytes, 0, out, at, bytes.length);
                    System.arraycopy(in, at, out, at + bytes.length, in.length - at);
                }
                case 3 -> { // delete
                    out = new byte[in.length - (end - at)];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, end, out, at, in.length - end);
                }
                case 4 -> out = Arrays.copyOf(in, at); // truncate
                default -> { // repeat a range
                    byte[] range = Arrays.copyOfRange(in, at, end);
                    out = new byte[in.length + range.length];
                    System.arraycopy(in, 0, out, 0, end);
                    System.arraycopy(range, 0, out, end, range.length);
                    System.arraycopy(in, end, out, end + range.length, in.length - end);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "op" + kind + "@" + where + "x" + length + ":" + hex(bytes);
        }
    }

    /** One to four changes of a valid encoding: bit flips, overwrites, insertions, deletions, truncations, repeats. */
    public static Arbitrary<UnaryOperator<byte[]>> byteMutations() {
        Arbitrary<byte[]> material = Arbitraries.oneOf(Arbitraries.of(INTERESTING),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8));
        Arbitrary<ByteOp> op = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 16), material).as(ByteOp::new);
        return op.list().ofMinSize(1).ofMaxSize(4).map(ops -> new UnaryOperator<byte[]>() {
            @Override
            public byte[] apply(byte[] in) {
                byte[] out = in;
                for (ByteOp o : ops) {
                    out = o.apply(out);
                }
                return out;
            }

            @Override
            public String toString() {
                return ops.toString();
            }
        });
    }

    /** Strings a hostile producer might send: anything, phone-like, address-like, and known tricky values. */
    public static Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("+0123456789 ()-.@/#*x").ofMaxLength(24),
                Arbitraries.of("", " ", "*", "UTC", "Z", "GMT+25", "Mars/Olympus_Mons", "Europe/Berlin", "+05:00", "DE",
                        "de", "GB", "XX", "a@b", "@", "a@", "@b", "+", "+0", "+44 20 7946 0000", "+4915112345678",
                        "020 7946 0000", "00000000000000000000000000", "\u0000", "\ud800", "\u202e", "NET-A-PORTER",
                        "MR PORTER", "country", "email", "phone", "birthDate", "timezone"));
    }

    /** Any instant Avro's timestamp-millis carries, often near the project's times. */
    public static Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(Arbitraries.longs().map(Instant::ofEpochMilli),
                Arbitraries.longs().between(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(),
                        Instant.parse("2027-01-01T00:00:00Z").toEpochMilli()).map(Instant::ofEpochMilli),
                Arbitraries.of(Instant.EPOCH, Instant.ofEpochMilli(-1), Instant.ofEpochMilli(Long.MAX_VALUE),
                        Instant.ofEpochMilli(Long.MIN_VALUE), Instant.parse("2100-01-01T00:00:00Z")));
    }

    /**
     * Schema-valid input records of every topic whose fields hold random values: the ids from {@code ids},
     * the event times (and expiries) from {@code times}, the other strings from {@link #texts()}.
     */
    public static Arbitrary<SpecificRecord> inputRecords(Arbitrary<String> ids, Arbitrary<Instant> times) {
        Arbitrary<String> text = texts();
        Arbitrary<String> optional = text.injectNull(0.3);
        Arbitrary<Instant> time = times;
        Arbitrary<Channel> channel = Arbitraries.of(Channel.class);
        Arbitrary<SpecificRecord> customer = Combinators.combine(ids, time, Arbitraries.of(CustomerEventType.class),
                        optional, Arbitraries.integers().injectNull(0.3), optional, optional,
                        Arbitraries.of("country", "birthDate", "timezone", "email", "phone", "other", "").list().ofMaxSize(3))
                .as((cust, at, type, country, birth, tz, email, cleared) -> CustomerEvent.newBuilder().setEventId(cust)
                        .setCustomerId(cust).setEventTime(at).setType(type).setCountry(country)
                        .setBirthDate(birth == null ? null : LocalDate.ofEpochDay(birth)).setTimezone(tz).setEmail(email)
                        .setPhone(email).setClearedFields(new ArrayList<>(cleared)).build());
        Arbitrary<SpecificRecord> consent = Combinators.combine(text, ids, time, text, channel,
                        Arbitraries.of(ConsentStatus.class), optional, time.injectNull(0.5))
                .as((id, cust, at, brand, ch, status, source, expires) -> ConsentEvent.newBuilder().setEventId(id)
                        .setCustomerId(cust).setEventTime(at).setBrand(brand).setChannel(ch).setStatus(status)
                        .setSource(source).setExpiresAt(expires).build());
        Arbitrary<SpecificRecord> unsubscribe = Combinators.combine(text, ids.injectNull(0.2), time, text,
                        channel.injectNull(0.3), Arbitraries.of(UnsubscribeSource.class).injectNull(0.3), optional)
                .as((id, cust, at, brand, ch, source, address) -> UnsubscribeEvent.newBuilder().setEventId(id)
                        .setCustomerId(cust).setEventTime(at).setBrand(brand).setChannel(ch).setSource(source)
                        .setAddress(address).build());
        Arbitrary<SpecificRecord> order = Combinators.combine(text, ids, time, text, text, Arbitraries.of(OrderStatus.class),
                        optional)
                .as((id, cust, at, orderId, brand, status, cart) -> OrderEvent.newBuilder().setEventId(id)
                        .setCustomerId(cust).setEventTime(at).setOrderId(orderId).setBrand(brand).setStatus(status)
                        .setCartId(cart).build());
        Arbitrary<SpecificRecord> cart = Combinators.combine(text, ids, time, text, text, Arbitraries.of(CartAction.class),
                        optional, Arbitraries.integers().injectNull(0.3))
                .as((id, cust, at, cartId, brand, action, sku, qty) -> CartEvent.newBuilder().setEventId(id)
                        .setCustomerId(cust).setEventTime(at).setCartId(cartId).setBrand(brand).setAction(action)
                        .setSku(sku).setQuantity(qty).build());
        Arbitrary<SpecificRecord> send = Combinators.combine(text, ids, time, text, optional, text, channel,
                        Arbitraries.of(Purpose.class))
                .as((id, cust, at, request, campaign, brand, ch, purpose) -> SendRequest.newBuilder().setEventId(id)
                        .setCustomerId(cust).setEventTime(at).setRequestId(request).setCampaignId(campaign).setBrand(brand)
                        .setChannel(ch).setPurpose(purpose).setAddress(campaign).build());
        return Arbitraries.oneOf(customer, consent, unsubscribe, order, cart, send);
    }
}
