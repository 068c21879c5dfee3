package dev.segmindkit.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a finished job: its outputs as a list whatever shape the service sent (a single
 * URL becomes a list of one), its metrics, and the raw JSON body for fields this version of the
 * SDK does not model.
 *
 * <p>Outputs are media URLs for image models (public, kept 7 days by the service), or data URIs
 * or raw base64 for some models; {@link MediaDownloader} turns any of them into bytes or a file.
 */
public final class InferenceResult {
    private final String requestId;
    private final JobStatus status;
    private final List<String> outputs;
    private final JobMetrics metrics;
    private final String rawJson;

    public InferenceResult(String requestId, JobStatus status, List<String> outputs, JobMetrics metrics, String rawJson) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.status = Objects.requireNonNull(status, "status");
        this.outputs = List.copyOf(outputs);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.rawJson = Objects.requireNonNull(rawJson, "rawJson");
    }

    public String requestId() {
        return requestId;
    }

    public JobStatus status() {
        return status;
    }

    /** Every output, in the order the service sent them; empty if it sent none. */
    public List<String> outputs() {
        return outputs;
    }

    /** The first output, which for single-image jobs is the only one. */
    public Optional<String> firstOutput() {
        return outputs.isEmpty() ? Optional.empty() : Optional.of(outputs.get(0));
    }

    public JobMetrics metrics() {
        return metrics;
    }

    /** The response body exactly as the service sent it. */
    public String rawJson() {
        return rawJson;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InferenceResult)) {
            return false;
        }
        InferenceResult r = (InferenceResult) o;
        return requestId.equals(r.requestId) && status.equals(r.status) && outputs.equals(r.outputs)
                && metrics.equals(r.metrics) && rawJson.equals(r.rawJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, status, outputs, metrics, rawJson);
    }

    @Override
    public String toString() {
        // Cleaned of keys: an output URL comes from an answer, which may echo the key.
        return dev.segmindkit.core.internal.Secrets.redact("InferenceResult{" + requestId + " " + status + ", outputs="
                + outputs.stream().map(InferenceResult::abbreviate).toList() + ", " + metrics + '}');
    }

    private static String abbreviate(String output) {
        return output.length() <= 120 ? output : output.substring(0, 100) + "...(" + output.length() + " chars)";
    }
}
