package com.consentry.bench;

import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;

import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Publishes event-mix lines to the input topics as {@code produce} does (Avro through the registry,
 * keyed by customerId or address, timestamped by the {@link EventPublisher}'s arrival clock), but without waiting for each
 * acknowledgement: sends are batched, and only the oldest of the last {@value #IN_FLIGHT} is awaited.
 *
 * <p>Batched records of different partitions may become visible in another order than they were sent.
 * That does not matter for topics loaded before the service starts (it merges a backlog by timestamp),
 * but a service reading while they are published may read a send before the consent published ahead of
 * it. {@linkplain #MixPublisher(AppConfig, boolean) In order}, the publisher waits for every record of
 * the other topics to be acknowledged (so visible, acks=all) before it sends to a topic: a task then
 * reads the lines in their order, and an address-only unsubscribe is acknowledged before anything
 * published after it, as the suppression wait counts it. Records to the same topic stay pipelined.
 */
public final class MixPublisher implements Consumer<String>, AutoCloseable {
    static final int IN_FLIGHT = 20_000;
    private final LineParser parser;
    private final EventPublisher publisher;
    private final Deque<Future<RecordMetadata>> inFlight = new ArrayDeque<>();
    private final boolean inOrder;
    /** In order: the topic of the records in flight (all of one topic), or null when none is. */
    private String inFlightTopic;
    private int line;
    private long published;

    /** Batched: for loading topics before the service reads them. */
    public MixPublisher(AppConfig config) {
        this(config, false);
    }

    /** {@code inOrder}: each line visible to a reader of several topics only after the lines before it. */
    public MixPublisher(AppConfig config, boolean inOrder) {
        this.parser = new LineParser(config.topics());
        this.publisher = new EventPublisher(config.with("batch.size", "262144"), ConsentryService.registryClient(config));
        this.inOrder = inOrder;
    }

    @Override
    public void accept(String text) {
        ParsedLine parsed;
        try {
            parsed = parser.parse(text, ++line);
        } catch (LineParser.BadLineException e) {
            throw new IllegalStateException("the event mix wrote a bad line " + line + ": " + e.getMessage() + ": " + text);
        }
        if (parsed instanceof ParsedLine.Event e) {
            if (inOrder && !e.topic().equals(inFlightTopic)) {
                finish();
                inFlightTopic = e.topic();
            }
            inFlight.add(publisher.publish(e));
            published++;
            if (inFlight.size() > IN_FLIGHT) {
                await(inFlight.poll());
            }
        }
    }

    long published() {
        return published;
    }

    /** Waits for every acknowledgement; returns the records published. */
    public long finish() {
        publisher.flush();
        while (!inFlight.isEmpty()) {
            await(inFlight.poll());
        }
        return published;
    }

    private static void await(Future<RecordMetadata> ack) {
        try {
            ack.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the cluster refused a record: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
