package com.consentry.replay;

import com.consentry.config.AppConfig;

import java.util.Optional;

/** {@code replay status}: where a replay stands, from its control file and its shadow group's offsets. */
public final class ReplayStatus {
    private ReplayStatus() {
    }

    /** The status line, or empty when there is no such replay. */
    public static Optional<String> of(AppConfig live, String id) throws InterruptedException {
        Shadow shadow = new Shadow(live, id);
        Optional<ReplayControl> found = ReplayControl.read(shadow.controlFile());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ReplayControl c = found.get();
        String head = "replay " + id + " (application.id=" + c.applicationId() + ", end offsets of " + c.startedAt() + "): ";
        if (c.finished()) {
            return Optional.of(head + String.format(java.util.Locale.ROOT, "finished at %s, %,d / %,d records (100.0%%)",
                    c.finishedAt(), c.total(), c.total()));
        }
        try (ReplayProgress p = new ReplayProgress(shadow, c, ShadowRun.admin(live, c.applicationId() + "-status"))) {
            ReplayProgress.Snapshot s = p.sample();
            double pct = s.total() == 0 ? 100 : 100.0 * s.done() / s.total();
            return Optional.of(head + String.format(java.util.Locale.ROOT,
                    "not finished, %,d / %,d records (%.1f%%); if no `replay start --id %s` is running, that command "
                            + "resumes it", s.done(), s.total(), pct, id));
        }
    }
}
