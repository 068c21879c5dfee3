package dev.segmindkit.core;

import java.util.Objects;

/**
 * The job ended FAILED (the service answers HTTP 422 with a FAILED body). The job ran and may have
 * been billed; re-submitting is the caller's choice. Carries the request id, the service's error
 * text and the job's metrics.
 */
public class InferenceFailedException extends SegmindException {
    private static final long serialVersionUID = 1L;

    private final String error;
    private final transient JobMetrics metrics;

    public InferenceFailedException(String requestId, String error, JobMetrics metrics) {
        super("job " + requestId + " FAILED: " + error, Objects.requireNonNull(requestId, "requestId"), null);
        this.error = Objects.requireNonNull(error, "error");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The service's explanation of the failure. */
    public String error() {
        return error;
    }

    public JobMetrics metrics() {
        return metrics == null ? JobMetrics.empty() : metrics;
    }
}
