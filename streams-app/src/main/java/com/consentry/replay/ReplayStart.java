package com.consentry.replay;

import com.consentry.config.AppConfig;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code replay start}: records the input end offsets (or finds them recorded), then runs the shadow
 * application over the inputs from their earliest offsets up to those ends, showing its progress, and
 * stops it when it has reached them. The live service is not touched.
 */
public final class ReplayStart extends ReplayStep {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayStart.class);

    /** @param terminal true to redraw one progress line in place, false to print one every 10 s */
    public ReplayStart(AppConfig live, String id, PrintStream out, boolean terminal, Clock clock) {
        super(live, id, out, terminal, clock);
    }

    /** Runs (or resumes) the replay until it has reached its recorded end offsets; returns its control record. */
    @Override
    public ReplayControl run() throws InterruptedException {
        ReplayControl control = ReplayControl.read(shadow.controlFile()).orElse(null);
        if (control != null && control.finished()) {
            out.printf("replay %s finished at %s (%,d records); `replay clean --id %s` removes it%n", shadow.id(),
                    control.finishedAt(), control.total(), shadow.id());
            return control;
        }
        try (Admin admin = ShadowRun.admin(live, shadow.applicationId() + "-replay-admin")) {
            if (control == null) {
                control = record(admin);
                control.write(shadow.controlFile());
                out.printf("replay %s: %,d input records up to the end offsets of %s, application.id=%s, topics *.replay-%s%n",
                        shadow.id(), control.total(), control.startedAt(), control.applicationId(), shadow.id());
            } else {
                out.printf("replay %s: resuming over the end offsets recorded at %s%n", shadow.id(), control.startedAt());
            }
            run.untilProcessed(shadow.config(control.partitions()), control, live);
            control = control.finish(clock.instant());
            control.write(shadow.controlFile());
            out.printf("replay %s finished: %,d records; `replay diff --id %s` compares it with the live view%n",
                    shadow.id(), control.total(), shadow.id());
            return control;
        }
    }

    /** The earliest and end offsets of every input partition, now. */
    private ReplayControl record(Admin admin) throws InterruptedException {
        List<ReplayControl.Range> ranges = inputRanges(admin, live.topics().inputs());
        LOG.info("replay recorded id={} application.id={} records={}", shadow.id(), shadow.applicationId(),
                ranges.stream().mapToLong(ReplayControl.Range::size).sum());
        return new ReplayControl(shadow.id(), shadow.applicationId(), clock.instant(), ranges, null, null, null);
    }

    /** Per partition of {@code inputs}, in topic and partition order: the earliest offset and the end offset, now. */
    static List<ReplayControl.Range> inputRanges(Admin admin, List<String> inputs) throws InterruptedException {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(inputs).allTopicNames().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            }));
            var starts = admin.listOffsets(earliest).all().get(60, TimeUnit.SECONDS);
            var ends = admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
            List<ReplayControl.Range> ranges = new ArrayList<>();
            ends.forEach((tp, end) -> ranges.add(new ReplayControl.Range(tp.topic(), tp.partition(),
                    starts.get(tp).offset(), end.offset())));
            ranges.sort(Comparator.comparing(ReplayControl.Range::topic).thenComparingInt(ReplayControl.Range::partition));
            return ranges;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the input topics " + inputs + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 60 s", e);
        }
    }
}
