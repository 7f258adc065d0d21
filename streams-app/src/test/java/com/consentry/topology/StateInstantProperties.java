package com.consentry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any instant state keeps comes back exactly, whatever its precision, on either side of the epoch. */
class StateInstantProperties {
    /** Years 0001 to 9999: far more than event times, expiries and sweep instants ever span. */
    private static final long MIN_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Property(tries = 2000)
    void anInstantRoundTripsExactly(@ForAll("instants") Instant at) {
        Recheck back = StateSerdesTest.roundTrip(StateSerdes.recheck(), new Recheck(at, "hash"));

        assertThat(back.at()).isEqualTo(at);
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(MIN_SECOND, MAX_SECOND);
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000), Arbitraries.just(0));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond).edgeCases(c ->
                c.add(Instant.EPOCH.minusNanos(1)).add(Instant.EPOCH).add(Instant.ofEpochSecond(MIN_SECOND))
                        .add(Instant.ofEpochSecond(MAX_SECOND, 999_999_999)));
    }
}
