package com.consentry.ingest;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ArrivalClockTest {
    private static final Instant NOON = Instant.parse("2026-04-01T12:00:00Z");

    @Test
    void eventsPublishedInEventTimeOrderKeepTheirEventTimes() {
        ArrivalClock clock = new ArrivalClock();
        assertThat(clock.stamp(NOON)).isEqualTo(NOON.toEpochMilli());
        assertThat(clock.stamp(NOON.plusSeconds(60))).isEqualTo(NOON.plusSeconds(60).toEpochMilli());
    }

    @Test
    void aLateEventIsStampedJustAfterTheRecordPublishedBeforeIt() {
        ArrivalClock clock = new ArrivalClock();
        long send = clock.stamp(NOON);
        long lateUnsubscribe = clock.stamp(NOON.minusSeconds(3600));
        long next = clock.stamp(NOON.minusSeconds(1800));
        assertThat(lateUnsubscribe).isEqualTo(send + 1);
        assertThat(next).isEqualTo(send + 2);
    }

    @Test
    void eventsOfTheSameMillisecondGetDistinctRisingStamps() {
        ArrivalClock clock = new ArrivalClock();
        assertThat(new long[] {clock.stamp(NOON), clock.stamp(NOON), clock.stamp(NOON)})
                .containsExactly(NOON.toEpochMilli(), NOON.toEpochMilli() + 1, NOON.toEpochMilli() + 2);
    }

    @Test
    void anEventLaterThanTheStampsSoFarIsStampedWithItsOwnTime() {
        ArrivalClock clock = new ArrivalClock();
        clock.stamp(NOON);
        clock.stamp(NOON.minusSeconds(10));
        assertThat(clock.stamp(NOON.plusMillis(1))).as("not before the event time, even right after a late one")
                .isEqualTo(NOON.toEpochMilli() + 2);
        assertThat(clock.stamp(NOON.plusSeconds(5))).isEqualTo(NOON.plusSeconds(5).toEpochMilli());
    }
}
