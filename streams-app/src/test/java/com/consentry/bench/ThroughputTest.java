package com.consentry.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ThroughputTest {
    /** Nothing committed for {@code startUp} seconds, then {@code rate(t)} records/s, sampled every half second. */
    private static List<Sample> samples(double startUp, long total, java.util.function.DoubleUnaryOperator rate) {
        List<Sample> out = new ArrayList<>(List.of(new Sample("app", 0, 0)));
        double records = 0;
        for (double t = 0.5; records < total; t += 0.5) {
            if (t > startUp) {
                records = Math.min(total, records + rate.applyAsDouble(t) * 0.5);
            }
            out.add(new Sample("app", t, (long) records));
        }
        return out;
    }

    @Test
    void aSteadyAppHasTheSameRateThroughoutAndTheStartUpDoesNotCount() {
        Throughput t = Throughput.of(samples(10, 100_000, x -> 1_000), 100_000);
        assertThat(t.steady()).isCloseTo(1_000, within(5.0));
        assertThat(t.first()).isCloseTo(1_000, within(20.0));
        assertThat(t.last()).isCloseTo(1_000, within(20.0));
        assertThat(t.seconds()).isCloseTo(110, within(0.6));
    }

    @Test
    void anAppThatSlowsDownHasALastTenthSlowerThanItsFirst() {
        Throughput t = Throughput.of(samples(2, 50_000, x -> x < 20 ? 2_000 : 500), 50_000);
        assertThat(t.first()).isCloseTo(2_000, within(50.0));
        assertThat(t.last()).isCloseTo(500, within(20.0));
        assertThat(t.lastOverFirst()).isLessThan(0.3);
    }

    @Test
    void theMomentAShareIsReachedIsInterpolatedBetweenSamples() {
        List<Sample> s = List.of(new Sample("a", 0, 0), new Sample("a", 1, 0), new Sample("a", 2, 1_000));
        assertThat(Throughput.reached(s, 250)).isEqualTo(1.25);
        assertThat(Throughput.reached(s, 1_000)).isEqualTo(2.0);
    }

    @Test
    void samplesThatNeverReachTheLoadAreRefused() {
        assertThatThrownBy(() -> Throughput.of(List.of(new Sample("a", 0, 0), new Sample("a", 1, 10)), 20))
                .hasMessageContaining("do not reach the whole load of 20 records");
    }
}
