package com.consentry.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WatchRoundsTest {

    @Test
    void theFirstRoundStartedSinceAnInstantTellsWhatWasAcknowledgedBeforeIt() {
        WatchRounds rounds = new WatchRounds(16);
        rounds.add(100, new long[] {4, -1}, 3);
        rounds.add(105, new long[] {4, 7}, 3);
        rounds.add(110, new long[] {5, 7}, 3);

        assertThat(rounds.firstSince(100).lastOffsets()).containsExactly(4, -1);
        assertThat(rounds.firstSince(101).lastOffsets()).containsExactly(4, 7);
        assertThat(rounds.firstSince(110).lastOffsets()).containsExactly(5, 7);
        assertThat(rounds.firstSince(111)).as("no round has started since").isNull();
    }

    @Test
    void roundsThatFoundTheSameOffsetsAreKeptAsOneSoThatQuietTimesDoNotPushOutTheHistory() {
        WatchRounds rounds = new WatchRounds(2);
        rounds.add(100, new long[] {4}, 1);
        for (long t = 105; t < 5_000; t += 5) {
            rounds.add(t, new long[] {6}, 1);
        }
        rounds.add(5_000, new long[] {9}, 1);

        assertThat(rounds.firstSince(103).lastOffsets()).as("a round of the quiet run, kept though thousands ran")
                .containsExactly(6);
        assertThat(rounds.firstSince(4_995).lastOffsets()).containsExactly(6);
        assertThat(rounds.firstSince(4_996).lastOffsets()).containsExactly(9);
        assertThat(rounds.firstSince(50).lastOffsets()).as("the oldest kept, once the one asked for is gone")
                .containsExactly(6);
    }

    @Test
    void theOffsetsKeptAreACopy() {
        WatchRounds rounds = new WatchRounds(4);
        long[] last = {1, 2};
        rounds.add(10, last, 3);
        last[0] = 99;
        assertThat(rounds.firstSince(10).lastOffsets()).containsExactly(1, 2);
    }
}
