package dev.segmindkit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The client stopped waiting because the polling deadline passed. The job itself may still be
 * running and billed: resume it with its request id (within the service's one-hour retention).
 */
public class InferenceTimeoutException extends SegmindException {
    private static final long serialVersionUID = 1L;

    private final transient JobStatus lastStatus;
    private final Duration waited;

    public InferenceTimeoutException(String requestId, JobStatus lastStatus, Duration waited) {
        this(requestId, lastStatus, waited, null);
    }

    /** As above, with the failure that kept the last polls from getting through, if any. */
    public InferenceTimeoutException(String requestId, JobStatus lastStatus, Duration waited, Throwable lastFailure) {
        super("stopped waiting for job " + requestId + " after " + waited + " (last status " + lastStatus
                + "); the job may still run: resume it by its request id", Objects.requireNonNull(requestId, "requestId"), lastFailure);
        this.lastStatus = Objects.requireNonNull(lastStatus, "lastStatus");
        this.waited = Objects.requireNonNull(waited, "waited");
    }

    /** The last status a poll saw before the deadline. */
    public JobStatus lastStatus() {
        return lastStatus;
    }

    /** How long the client waited. */
    public Duration waited() {
        return waited;
    }
}
