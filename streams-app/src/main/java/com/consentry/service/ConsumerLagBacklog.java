package com.consentry.service;

import com.consentry.topology.InputBacklog;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link InputBacklog} from the stream threads' consumers: a task is behind when its consumer's
 * {@code records-lag} (end offset, or last stable offset under read_committed, minus its position, as of
 * its last fetch) is above zero on one of its input partitions. A lag not known yet ({@code NaN}, before
 * the first fetch) does not count: a task that fetched nothing has nothing to wait for.
 */
final class ConsumerLagBacklog implements InputBacklog {
    private static final String GROUP = "consumer-fetch-manager-metrics";
    private static final String LAG = "records-lag";
    /** The inputs, as the consumers' metric tags name them (some client versions write '.' as '_'). */
    private final Set<String> topics;
    private volatile KafkaStreams streams;

    ConsumerLagBacklog(Collection<String> topics) {
        this.topics = topics.stream().map(ConsumerLagBacklog::tagged).collect(Collectors.toUnmodifiableSet());
    }

    void watch(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public boolean behind(int partition) {
        KafkaStreams s = streams;
        return s != null && behind(s.metrics(), partition);
    }

    /** True when a consumer's {@code records-lag} of an input partition numbered {@code partition} is above zero. */
    boolean behind(Map<MetricName, ? extends Metric> metrics, int partition) {
        String p = Integer.toString(partition);
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (!LAG.equals(name.name()) || !GROUP.equals(name.group()) || !p.equals(name.tags().get("partition"))) {
                continue;
            }
            String topic = name.tags().get("topic");
            if (topic != null && topics.contains(tagged(topic)) && e.getValue().metricValue() instanceof Double lag
                    && lag > 0) {
                return true;
            }
        }
        return false;
    }

    private static String tagged(String topic) {
        return topic.replace('.', '_');
    }
}
