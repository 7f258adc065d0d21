package com.consentry.replay;

import com.consentry.config.AppConfig;

import java.io.PrintStream;
import java.time.Clock;

/** What {@code replay start} and {@code replay promote} share: the live configuration, the shadow and its run. */
public abstract class ReplayStep {
    protected final AppConfig live;
    protected final Shadow shadow;
    protected final PrintStream out;
    protected final Clock clock;
    final ShadowRun run;

    /** @param terminal true to redraw one progress line in place, false to print one every 10 s */
    protected ReplayStep(AppConfig live, String id, PrintStream out, boolean terminal, Clock clock) {
        this.live = live;
        this.shadow = new Shadow(live, id);
        this.out = out;
        this.clock = clock;
        this.run = new ShadowRun(shadow, out, terminal);
    }

    /** Runs the step to its end; returns the replay's control record as it then is. */
    public abstract ReplayControl run() throws InterruptedException;

    /**
     * Stops the shadow (on Ctrl-C or SIGTERM), committing what it has processed; the same command resumes
     * the step.
     */
    public void stop() {
        run.stop();
    }
}
