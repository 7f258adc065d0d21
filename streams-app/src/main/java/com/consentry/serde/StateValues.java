package com.consentry.serde;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Small pieces the state conversions share.
 *
 * <p>An {@link Instant} of the state schemas is a {@code long} of epoch milliseconds (its floor millisecond)
 * followed by its {@code NanoOfMilli}: the nanoseconds the millisecond cannot hold. Together they give back
 * the very Instant, whatever its precision. The state schemas carry no logical types: Avro generates its fast
 * custom coders only for records without them (a {@code timestamp-millis} is the same long on the wire, and
 * logical types are not part of the fingerprint, so values written with them read the same).
 */
public final class StateValues {
    private static final int NANOS_PER_MILLI = 1_000_000;

    private StateValues() {
    }

    /** The nanoseconds of {@code t} beyond its millisecond: 0 to 999,999 (0 for null). */
    public static int nanoOfMilli(Instant t) {
        return t == null ? 0 : t.getNano() % NANOS_PER_MILLI;
    }

    /** The floor epoch millisecond of {@code t} (null for null): what the state schemas store of an instant. */
    public static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    /** The instant of an epoch-millisecond value (null for null) and its nanoseconds beyond the millisecond. */
    public static Instant instant(Long millis, int nanoOfMilli) {
        if (nanoOfMilli < 0 || nanoOfMilli >= NANOS_PER_MILLI) {
            throw new IllegalStateException("nanoseconds of a millisecond out of range: " + nanoOfMilli);
        }
        if (millis == null) {
            return null;
        }
        Instant t = Instant.ofEpochMilli(millis);
        return nanoOfMilli == 0 ? t : t.plusNanos(nanoOfMilli);
    }

    /** Each element converted, in order, into a new mutable list. */
    public static <X, Y> ArrayList<Y> map(List<X> in, Function<X, Y> convert) {
        ArrayList<Y> out = new ArrayList<>(in.size());
        for (X x : in) {
            out.add(convert.apply(x));
        }
        return out;
    }
}
