package dev.segmindkit.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed request that is about to be retried: which request, which retry this is, why, and how
 * long the client waits first. Reported to status listeners as it happens.
 */
public final class RetryEvent {
    private final String operation;
    private final String requestId;
    private final int retry;
    private final Throwable failure;
    private final Duration delay;

    public RetryEvent(String operation, String requestId, int retry, Throwable failure, Duration delay) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.requestId = requestId;
        this.retry = retry;
        this.failure = Objects.requireNonNull(failure, "failure");
        this.delay = Objects.requireNonNull(delay, "delay");
    }

    /** The request, such as {@code GET /v2/requests/{id}/status}. */
    public String operation() {
        return operation;
    }

    /** The job concerned, when there is one. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** 1 for the first retry. */
    public int retry() {
        return retry;
    }

    public Throwable failure() {
        return failure;
    }

    public Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return "RetryEvent{" + operation + (requestId == null ? "" : " " + requestId) + ", retry " + retry + " in " + delay + " after "
                + failure.getClass().getSimpleName() + ": " + failure.getMessage() + '}';
    }
}
