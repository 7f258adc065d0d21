package com.consentry.topology;

import com.consentry.ingest.EventTimeRules;
import com.consentry.policy.Addresses;
import com.consentry.policy.Channel;
import com.consentry.policy.EligibilityPolicy;
import com.consentry.policy.Purpose;
import com.consentry.policy.Retention;
import com.consentry.policy.RetentionLimits;
import com.consentry.policy.SendPolicy;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything a topology needs besides topics and serdes.
 *
 * @param sweepInterval      how often the published view is re-evaluated for time-driven changes
 * @param sweepAnchor        sweeps run at anchor + k * interval
 * @param punctuateInterval  how often the wall-clock punctuator looks for due reminders and sweeps
 * @param idleGrace          the wall clock fires due reminders and sweeps only after the task has seen
 *                           no record for this long; while records flow, their event times (stream
 *                           time) fire them, so that a replay of the topics gives the same outputs
 * @param reminderDelay      idle time after a cart's last activity before its reminder falls due
 * @param reminderChannel    the channel of cart reminders
 * @param reminderPurpose    MARKETING (default) or SERVICE
 * @param eventTimes         the event times an input record may carry; the others are dead-lettered
 * @param suppressionWait    how send and reminder decisions wait for the suppression list
 * @param maxLead            the wall clock never fires a due time further than this ahead of the newest
 *                           event time the task has seen ({@code consentry.punctuate.max-lead}); null for no
 *                           bound ({@code simulate}, whose wall clock is its input's clock)
 * @param maxRecordBytes     an input record whose key and value together are larger is dead-lettered
 *                           ({@code consentry.ingest.max-record-bytes})
 * @param inputBound         the input offsets to process ({@link InputBound#NONE}: all; a replay: its recorded end)
 * @param inputBacklog       whether a task's inputs hold records not fetched yet: the wall clock does not fire then
 * @param retention          how long each kind of fact is held ({@code consentry.retention.*}, {@link Retention})
 */
public record TopologySettings(EligibilityPolicy policy, Addresses addresses, Duration sweepInterval,
                               Instant sweepAnchor, Duration punctuateInterval, Duration idleGrace, Duration reminderDelay,
                               Channel reminderChannel, Purpose reminderPurpose, EventTimeRules eventTimes,
                               Duration maxLead, int maxRecordBytes, SuppressionWait suppressionWait,
                               InputBound inputBound, InputBacklog inputBacklog, RetentionLimits retention) {

    public TopologySettings withPunctuateInterval(Duration interval) {
        return new TopologySettings(policy, addresses, sweepInterval, sweepAnchor, interval, idleGrace,
                reminderDelay, reminderChannel, reminderPurpose, eventTimes, maxLead, maxRecordBytes, suppressionWait,
                inputBound, inputBacklog, retention);
    }

    public TopologySettings withIdleGrace(Duration grace) {
        return new TopologySettings(policy, addresses, sweepInterval, sweepAnchor, punctuateInterval, grace,
                reminderDelay, reminderChannel, reminderPurpose, eventTimes, maxLead, maxRecordBytes, suppressionWait,
                inputBound, inputBacklog, retention);
    }

    public TopologySettings withMaxLead(Duration lead) {
        return new TopologySettings(policy, addresses, sweepInterval, sweepAnchor, punctuateInterval, idleGrace,
                reminderDelay, reminderChannel, reminderPurpose, eventTimes, lead, maxRecordBytes, suppressionWait,
                inputBound, inputBacklog, retention);
    }

    public TopologySettings withSuppressionBarrier(SuppressionBarrier barrier) {
        return new TopologySettings(policy, addresses, sweepInterval, sweepAnchor, punctuateInterval, idleGrace,
                reminderDelay, reminderChannel, reminderPurpose, eventTimes, maxLead, maxRecordBytes,
                suppressionWait.withBarrier(barrier), inputBound, inputBacklog, retention);
    }

    public TopologySettings withInputBound(InputBound bound) {
        return new TopologySettings(policy, addresses, sweepInterval, sweepAnchor, punctuateInterval, idleGrace,
                reminderDelay, reminderChannel, reminderPurpose, eventTimes, maxLead, maxRecordBytes, suppressionWait,
                bound, inputBacklog, retention);
    }

    public TopologySettings withInputBacklog(InputBacklog backlog) {
        return new TopologySettings(policy, addresses, sweepInterval, sweepAnchor, punctuateInterval, idleGrace,
                reminderDelay, reminderChannel, reminderPurpose, eventTimes, maxLead, maxRecordBytes, suppressionWait,
                inputBound, backlog, retention);
    }

    /** The retention rules of these limits and this policy. */
    public Retention retentionRules() {
        return new Retention(retention, policy.config());
    }

    public SendPolicy sendPolicy() {
        return new SendPolicy(policy);
    }
}
