package dev.segmindkit.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Names a submitted job. The request id alone is enough to resume waiting for it, from this or
 * any other process, within the service's one-hour retention; the model and submission time are
 * known only to the process that submitted it.
 */
public final class JobHandle {
    private final String requestId;
    private final String model;
    private final Instant submittedAt;

    private JobHandle(String requestId, String model, Instant submittedAt) {
        this.requestId = requireId(requestId);
        this.model = model;
        this.submittedAt = submittedAt;
    }

    /**
     * A handle for a job known only by its id, to resume it.
     *
     * @throws IllegalArgumentException if the id is null, blank, or holds characters that cannot
     *     be part of a request id (such as {@code /} or whitespace)
     */
    public static JobHandle of(String requestId) {
        return new JobHandle(requestId, null, null);
    }

    /** A handle for a job this process submitted. */
    public static JobHandle of(String requestId, String model, Instant submittedAt) {
        return new JobHandle(requestId, Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(submittedAt, "submittedAt"));
    }

    /** The service's request id. */
    public String requestId() {
        return requestId;
    }

    /** The model the job runs, when this process submitted it. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** When the job was submitted, when this process submitted it. */
    public Optional<Instant> submittedAt() {
        return Optional.ofNullable(submittedAt);
    }

    private static String requireId(String id) {
        return dev.segmindkit.core.internal.RequestIds.require(id);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JobHandle)) {
            return false;
        }
        JobHandle h = (JobHandle) o;
        return requestId.equals(h.requestId) && Objects.equals(model, h.model) && Objects.equals(submittedAt, h.submittedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, model, submittedAt);
    }

    @Override
    public String toString() {
        return "JobHandle{" + requestId + (model == null ? "" : ", " + model) + (submittedAt == null ? "" : ", submitted " + submittedAt) + '}';
    }
}
