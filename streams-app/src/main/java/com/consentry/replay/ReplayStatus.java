package com.consentry.replay;

import com.consentry.config.AppConfig;

import org.apache.kafka.clients.admin.Admin;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * {@code replay status}: where a replay stands, from its control file and its shadow group: its committed
 * offsets, and whether the shadow runs now (its group has active members).
 */
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
        boolean streamsGroup = "streams".equalsIgnoreCase(live.all().get("group.protocol"));
        try (Admin admin = ShadowRun.admin(live, c.applicationId() + "-status");
             ReplayProgress p = new ReplayProgress(shadow, c, admin)) {
            int members = members(admin, c.applicationId(), streamsGroup);
            String running = members == 0 ? "" : String.format(Locale.ROOT, "running (%d active member(s) in its group), ",
                    members);
            if (c.finished()) {
                return Optional.of(head + running + String.format(Locale.ROOT, "finished at %s, %,d / %,d records (100.0%%)",
                        c.finishedAt(), c.total(), c.total()));
            }
            ReplayProgress.Snapshot s = p.sample();
            double pct = s.total() == 0 ? 100 : 100.0 * s.done() / s.total();
            String progress = String.format(Locale.ROOT, "%,d / %,d records (%.1f%%)", s.done(), s.total(), pct);
            return Optional.of(head + (members == 0
                    ? "stopped before its end, " + progress + "; `replay start --id " + id + "` resumes it"
                    : running + "not finished, " + progress));
        }
    }

    private static int members(Admin admin, String group, boolean streamsGroup) throws InterruptedException {
        try {
            return GroupMembers.count(admin, group, streamsGroup);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe group " + group + ": " + e.getMessage(), e);
        }
    }
}
