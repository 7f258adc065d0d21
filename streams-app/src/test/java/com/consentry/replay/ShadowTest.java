package com.consentry.replay;

import com.consentry.config.AppConfig;
import com.consentry.topology.Topics;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shadow of a replay reads the live inputs and writes only topics, groups and state of its own. */
class ShadowTest {
    private final AppConfig live = AppConfig.of(Map.of("consentry.application.id", "shop", "consentry.state.dir", "/var/state",
            "consentry.topic.customer-eligibility", "shop.eligibility", "consentry.http.port", "8080",
            "group.instance.id", "shop-1"));

    @Test
    void theShadowWritesNoTopicTheLiveServiceReadsOrWrites() {
        Shadow s = new Shadow(live, "fix-1");
        Topics t = live.topics();
        List<String> liveTopics = new ArrayList<>(t.inputs());
        liveTopics.addAll(t.outputs());
        liveTopics.addAll(t.internal());

        assertThat(s.topics().inputs()).isEqualTo(t.inputs());
        assertThat(s.writtenTopics()).hasSize(7).doesNotContainAnyElementsOf(liveTopics)
                .allMatch(n -> n.endsWith(".replay-fix-1"))
                .contains("shop.eligibility.replay-fix-1", "consentry-customer-rechecks.replay-fix-1");
        assertThat(s.topics().customerEligibility()).isEqualTo("shop.eligibility.replay-fix-1");
    }

    @Test
    void theShadowHasItsOwnIdentityStateAndHttpPortAndTheWallClockFiresNothing() {
        Shadow s = new Shadow(live, "fix-1");
        AppConfig c = s.config(6);
        assertThat(c.get("consentry.application.id")).isEqualTo("shop-replay-fix-1");
        assertThat(Path.of(c.get("consentry.state.dir"))).isEqualTo(Path.of("/var/state/replay-fix-1"));
        assertThat(s.controlFile()).isEqualTo(Path.of("/var/state/replay-fix-1/replay.json"));
        assertThat(c.get("consentry.http.port")).isEqualTo("0");
        assertThat(c.all()).doesNotContainKey("group.instance.id");
        assertThat(c.getInt("consentry.topics.partitions")).isEqualTo(6);
        assertThat(c.topologySettings(java.time.Instant.EPOCH).idleGrace()).isEqualTo(Shadow.WALL_CLOCK_OFF);
        // the policy is the configuration's own: a replay runs what it is given
        assertThat(new Shadow(live.with("policy.soft-opt-in.months", "12"), "x").config(1).get("policy.soft-opt-in.months"))
                .isEqualTo("12");
    }

    @Test
    void aPromotedServiceRunsOnTheShadowsStateAndInternalTopicsAndWritesTheLiveOutputs() {
        AppConfig promoted = Shadow.resolve(live.with(Shadow.PROMOTED_KEY, "fix-1"));
        Topics shadow = new Shadow(live, "fix-1").topics();
        assertThat(promoted.get("consentry.application.id")).isEqualTo("shop-replay-fix-1");
        assertThat(Path.of(promoted.get("consentry.state.dir"))).isEqualTo(Path.of("/var/state/replay-fix-1"));
        assertThat(promoted.topics().outputs()).isEqualTo(live.topics().outputs());
        assertThat(promoted.topics().inputs()).isEqualTo(live.topics().inputs());
        assertThat(promoted.topics().internal()).isEqualTo(shadow.internal());
        // the wall clock fires as configured, and the instance keeps its own HTTP port and member id
        assertThat(promoted.get("consentry.punctuate.idle-grace")).isEqualTo("PT10S");
        assertThat(promoted.get("consentry.http.port")).isEqualTo("8080");
        assertThat(promoted.get("group.instance.id")).isEqualTo("shop-1");
        assertThat(promoted.all()).doesNotContainKey(Shadow.PROMOTED_KEY);
        assertThat(Shadow.resolve(live)).isSameAs(live);
    }

    @Test
    void theReplayTheServiceRunsAsIsNotCleaned() {
        assertThatThrownBy(() -> ReplayClean.clean(live.with(Shadow.PROMOTED_KEY, "fix-1"), "fix-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("live service's");
    }

    @Test
    void anIdThatCannotNameTopicsIsRefused() {
        for (String bad : List.of("", "Fix", "a b", "-a", "a/b", "x".repeat(41))) {
            assertThatThrownBy(() -> new Shadow(live, bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("replay id");
        }
    }
}
