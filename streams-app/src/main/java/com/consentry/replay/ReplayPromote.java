package com.consentry.replay;

import com.consentry.avro.CustomerEligibility;
import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.InputBound;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code replay promote}: makes a finished replay's rebuilt state the live one, with every live
 * instance stopped.
 * <ol>
 *   <li>The shadow catches up, wall clock off, from the replay's end offsets to the input end offsets
 *       now (the records the live service processed meanwhile), writing to its own topics.</li>
 *   <li>It runs once more with the wall clock on, so that what is due by now (reminders of carts past
 *       due, time-driven changes) fires on its own topics, not on the live ones after the switch.</li>
 *   <li>Its offsets are set to those end offsets (a shadow leaves later records unprocessed), so the
 *       promoted service starts exactly there.</li>
 *   <li>The live {@code customer-eligibility} topic receives the view of every customer with a changed
 *       row, and only those.</li>
 * </ol>
 * Then the instances start with {@code consentry.replay.promoted=ID} ({@link Shadow#promotedConfig()}).
 */
public final class ReplayPromote extends ReplayStep {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayPromote.class);

    public ReplayPromote(AppConfig live, String id, PrintStream out, boolean terminal, Clock clock) {
        super(live, id, out, terminal, clock);
    }

    @Override
    public ReplayControl run() throws InterruptedException {
        ReplayControl control = ReplayControl.read(shadow.controlFile()).orElseThrow(() -> new IllegalArgumentException(
                "no replay " + shadow.id() + " under " + live.get("consentry.state.dir")));
        if (!control.finished()) {
            throw new IllegalArgumentException("replay " + shadow.id() + " has not finished: run `replay start --id "
                    + shadow.id() + "` to the end, and `replay diff` it, first");
        }
        if (control.promotedAt() != null) {
            out.printf("replay %s was promoted at %s; run the instances with %s=%s%n", shadow.id(), control.promotedAt(),
                    Shadow.PROMOTED_KEY, shadow.id());
            return control;
        }
        boolean streamsGroup = "streams".equalsIgnoreCase(live.all().get("group.protocol"));
        String liveGroup = Shadow.resolve(live).get("consentry.application.id");
        try (Admin admin = ShadowRun.admin(live, shadow.applicationId() + "-promote")) {
            requireEmpty(admin, liveGroup, streamsGroup, "stop every live instance first");
            requireEmpty(admin, shadow.applicationId(), streamsGroup, "stop `replay start` first");
            if (control.catchUp() == null) {
                List<ReplayControl.Range> to = new ArrayList<>();
                Map<TopicPartition, Long> from = ends(control.ranges());
                for (ReplayControl.Range now : ReplayStart.inputRanges(admin, live.topics().inputs())) {
                    long start = from.getOrDefault(new TopicPartition(now.topic(), now.partition()), now.start());
                    to.add(new ReplayControl.Range(now.topic(), now.partition(), start, now.end()));
                }
                // the replay left the records after its end unprocessed: the catch-up reads them
                setOffsets(admin, from, streamsGroup);
                control = control.withCatchUp(to);
                control.write(shadow.controlFile());
            }
            ReplayControl catchUp = control.overCatchUp();
            out.printf("replay %s: catching up with %,d input records the live service processed since the replay%n",
                    shadow.id(), catchUp.total());
            AppConfig config = shadow.config(control.partitions());
            run.untilProcessed(config, catchUp, live);

            // what is due by now fires on the shadow's topics: after the switch nothing past due is sent again
            Duration interval = config.getDuration("consentry.punctuate.interval");
            run.forAWhile(config.with("consentry.punctuate.idle-grace", "PT0S"), catchUp.bound(),
                    interval.multipliedBy(3).plus(Duration.ofSeconds(1)));
            setOffsets(admin, ends(catchUp.ranges()), streamsGroup);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot promote replay " + shadow.id() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 60 s", e);
        }
        int published = publishChangedViews();
        control = control.promoted(clock.instant());
        control.write(shadow.controlFile());
        LOG.info("replay promoted id={} application.id={} views={}", shadow.id(), shadow.applicationId(), published);
        out.printf("replay %s promoted: %,d customers' views republished on %s. Start every instance with %s=%s "
                + "(the environment: CONSENTRY_REPLAY_PROMOTED=%s)%n", shadow.id(), published,
                live.topics().customerEligibility(), Shadow.PROMOTED_KEY, shadow.id(), shadow.id());
        return control;
    }

    /** Publishes on the live view the shadow's view of every customer with a changed row; returns how many. */
    private int publishChangedViews() {
        AvroSerdes avro = AvroSerdes.using(ConsentryService.registryClient(live));
        TopicReader reader = new TopicReader(live);
        String liveTopic = live.topics().customerEligibility();
        Map<String, CustomerEligibility> before = reader.latest(liveTopic, avro.eligibility().deserializer());
        Map<String, CustomerEligibility> rebuilt = reader.latest(shadow.topics().customerEligibility(),
                avro.eligibility().deserializer());
        DiffReport diff = ViewDiff.compare(shadow.id(), before, rebuilt, Map.of(), Map.of(), Map.of(), Map.of());
        TreeSet<String> customers = new TreeSet<>();
        diff.changedRows().forEach(r -> customers.add(r.customerId()));
        Properties p = ServiceRunner.clientProperties(live, ProducerConfig.configNames());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, shadow.applicationId() + "-promote");
        try (KafkaProducer<String, CustomerEligibility> producer = new KafkaProducer<>(p, new StringSerializer(),
                avro.eligibility().serializer())) {
            for (String c : customers) {
                CustomerEligibility v = rebuilt.get(c);
                // an erased customer's tombstone; otherwise the view as the shadow last published it
                long ts = v == null ? clock.millis() : v.getPublishedAt().toEpochMilli();
                producer.send(new ProducerRecord<>(liveTopic, null, ts, c, v));
            }
            producer.flush();
        }
        return customers.size();
    }

    private static Map<TopicPartition, Long> ends(List<ReplayControl.Range> ranges) {
        Map<TopicPartition, Long> out = new HashMap<>();
        ranges.forEach(r -> out.put(new TopicPartition(r.topic(), r.partition()), r.end()));
        return out;
    }

    private void setOffsets(Admin admin, Map<TopicPartition, Long> offsets, boolean streamsGroup)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> o = new HashMap<>();
        offsets.forEach((tp, off) -> o.put(tp, new OffsetAndMetadata(off)));
        if (streamsGroup) {
            admin.alterStreamsGroupOffsets(shadow.applicationId(), o).all().get(60, TimeUnit.SECONDS);
        } else {
            admin.alterConsumerGroupOffsets(shadow.applicationId(), o).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static void requireEmpty(Admin admin, String group, boolean streamsGroup, String advice)
            throws InterruptedException, ExecutionException, TimeoutException {
        int members = GroupMembers.count(admin, group, streamsGroup);
        if (members > 0) {
            throw new IllegalStateException("group " + group + " has " + members + " active member(s): " + advice);
        }
    }
}
