package com.consentry.replay;

import com.consentry.config.AppConfig;
import com.consentry.runtime.Directories;
import com.consentry.serde.InMemorySchemaRegistry;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.ConsentryTopology;
import com.consentry.topology.InputBound;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.streams.TopologyDescription;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code replay clean}: deletes what a replay made: its {@code *.replay-<id>} topics, its Kafka Streams
 * changelog topics ({@code <application.id>-replay-<id>-<store>-changelog}), its consumer groups (the
 * shadow's and that of its metrics monitor) and its state directory with the control file. Live topics,
 * groups and state are never touched: every name deleted derives from the shadow's own, and the replay
 * the configuration runs as ({@link Shadow#PROMOTED_KEY}) is refused.
 */
public final class ReplayClean {
    private ReplayClean() {
    }

    /** What was deleted, one line each. */
    public static List<String> clean(AppConfig live, String id) throws InterruptedException {
        Shadow shadow = new Shadow(live, id);
        if (id.equals(live.all().getOrDefault(Shadow.PROMOTED_KEY, "").trim())) {
            throw new IllegalArgumentException("replay " + id + " is the one this configuration runs as ("
                    + Shadow.PROMOTED_KEY + "=" + id + "): its topics and state are the live service's");
        }
        List<String> done = new ArrayList<>();
        try (Admin admin = ShadowRun.admin(live, shadow.applicationId() + "-clean")) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            Set<String> delete = new TreeSet<>(shadow.writtenTopics());
            delete.addAll(changelogs(shadow));
            delete.retainAll(existing);
            if (!delete.isEmpty()) {
                admin.deleteTopics(delete).all().get(60, TimeUnit.SECONDS);
                delete.forEach(t -> done.add("topic " + t));
            }
            boolean streamsGroup = "streams".equalsIgnoreCase(live.all().get("group.protocol"));
            if (deleteGroup(admin, shadow.applicationId(), streamsGroup)) {
                done.add("group " + shadow.applicationId());
            }
            // the shadow's output-topics monitor (product metrics) reads with a consumer group of its own
            String monitor = shadow.applicationId() + "-metrics";
            if (deleteGroup(admin, monitor, false)) {
                done.add("group " + monitor);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot clean replay " + id + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 60 s", e);
        }
        if (Files.exists(shadow.directory())) {
            Directories.deleteTree(shadow.directory());
            done.add("state " + shadow.directory());
        }
        return done;
    }

    /** The changelog topics of the shadow's stores (every store of the topology but the global one). */
    static Set<String> changelogs(Shadow shadow) {
        AppConfig config = shadow.config(1);
        // the topology's description needs no registry: serdes are only built, not used
        TopologyDescription d = ConsentryTopology.build(config.topics(),
                config.topologySettings(Instant.EPOCH).withInputBound(InputBound.NONE),
                AvroSerdes.using(new InMemorySchemaRegistry())).describe();
        Set<String> out = new TreeSet<>();
        d.subtopologies().forEach(s -> s.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Processor p) {
                p.stores().forEach(store -> out.add(shadow.applicationId() + "-" + store + "-changelog"));
            }
        }));
        return out;
    }

    /** Deletes a group; false when there is none. */
    private static boolean deleteGroup(Admin admin, String group, boolean streams)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            if (streams) {
                admin.deleteStreamsGroups(List.of(group)).all().get(60, TimeUnit.SECONDS);
            } else {
                admin.deleteConsumerGroups(List.of(group)).all().get(60, TimeUnit.SECONDS);
            }
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            if (e.getCause() instanceof GroupNotEmptyException) {
                throw new IllegalStateException("group " + group + " still has members: stop `replay start` first");
            }
            throw new IllegalStateException("cannot delete group " + group + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
