package com.consentry.api;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StateStoreMigratedException;
import org.apache.kafka.streams.errors.StateStoreNotAvailableException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.errors.StreamsRebalancingException;
import org.apache.kafka.streams.errors.StreamsStoppedException;

import java.util.Optional;

/** An HTTP error answer: a status and a message for {@code {"error": "..."}}. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notReady(String message) {
        return new ApiException(503, message);
    }

    /** The instance cannot answer in this streams state (starting, rebalancing, stopping or failed). */
    static ApiException notReady(KafkaStreams.State state) {
        String why = switch (state) {
            case CREATED -> "the service is starting";
            case REBALANCING -> "the streams are rebalancing";
            case PENDING_SHUTDOWN, NOT_RUNNING -> "the service is stopping";
            case PENDING_ERROR, ERROR -> "the streams have failed";
            case RUNNING -> "the stores are not queryable yet";
        };
        return notReady("not ready: " + why + " (streams state " + state + ")");
    }

    /**
     * Kafka Streams' "not now" (not started yet, rebalancing, a store that moved or closed, stopped) as a
     * 503; empty for the other {@link InvalidStateStoreException}s (an unknown store or partition), which
     * are bugs.
     */
    static Optional<ApiException> notReady(InvalidStateStoreException e) {
        String why;
        if (e instanceof StreamsNotStartedException) {
            why = "the service is starting";
        } else if (e instanceof StreamsRebalancingException) {
            why = "the streams are rebalancing";
        } else if (e instanceof StateStoreMigratedException) {
            why = "the store moved to another instance in a rebalance";
        } else if (e instanceof StateStoreNotAvailableException || e instanceof StreamsStoppedException) {
            why = "the service is stopping";
        } else {
            return Optional.empty();
        }
        return Optional.of(notReady("not ready: " + why + " (" + e.getClass().getSimpleName() + ")"));
    }

    public int status() {
        return status;
    }
}
