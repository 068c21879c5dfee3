package dev.segmindkit.core;

import java.time.Instant;
import java.util.Objects;

/** One observed status of a job: what a poll saw and when (on the client's time source). */
public final class StatusUpdate {
    private final String requestId;
    private final JobStatus status;
    private final JobMetrics metrics;
    private final Instant observedAt;

    public StatusUpdate(String requestId, JobStatus status, JobMetrics metrics, Instant observedAt) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.status = Objects.requireNonNull(status, "status");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.observedAt = Objects.requireNonNull(observedAt, "observedAt");
    }

    public String requestId() {
        return requestId;
    }

    public JobStatus status() {
        return status;
    }

    public JobMetrics metrics() {
        return metrics;
    }

    public Instant observedAt() {
        return observedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StatusUpdate)) {
            return false;
        }
        StatusUpdate u = (StatusUpdate) o;
        return requestId.equals(u.requestId) && status.equals(u.status) && metrics.equals(u.metrics) && observedAt.equals(u.observedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, status, metrics, observedAt);
    }

    @Override
    public String toString() {
        return "StatusUpdate{" + requestId + " " + status + " at " + observedAt + ", " + metrics + '}';
    }
}
