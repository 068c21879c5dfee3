package dev.segmindkit.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Figures the service reports about a job. Every figure is optional: the service sends {@code {}}
 * while a job is queued and may omit any of them later.
 */
public final class JobMetrics {
    private static final JobMetrics EMPTY = new JobMetrics(null, null, null, null, null, null);

    private final Double inferenceSeconds;
    private final Double queueSeconds;
    private final Double totalSeconds;
    private final Double cost;
    private final Double remainingCredits;
    private final Integer retryCount;

    private JobMetrics(Double inferenceSeconds, Double queueSeconds, Double totalSeconds, Double cost,
            Double remainingCredits, Integer retryCount) {
        this.inferenceSeconds = inferenceSeconds;
        this.queueSeconds = queueSeconds;
        this.totalSeconds = totalSeconds;
        this.cost = cost;
        this.remainingCredits = remainingCredits;
        this.retryCount = retryCount;
    }

    /** No figures at all. */
    public static JobMetrics empty() {
        return EMPTY;
    }

    /** Metrics from the wire values, each of which may be null. */
    public static JobMetrics of(Double inferenceSeconds, Double queueSeconds, Double totalSeconds, Double cost,
            Double remainingCredits, Integer retryCount) {
        return new JobMetrics(inferenceSeconds, queueSeconds, totalSeconds, cost, remainingCredits, retryCount);
    }

    /** How long the model ran. */
    public Optional<Duration> inferenceTime() {
        return seconds(inferenceSeconds);
    }

    /** How long the job waited in the queue. */
    public Optional<Duration> queueTime() {
        return seconds(queueSeconds);
    }

    /** From submission to the end of the job. */
    public Optional<Duration> totalTime() {
        return seconds(totalSeconds);
    }

    /** Credits the job cost. */
    public OptionalDouble cost() {
        return cost == null ? OptionalDouble.empty() : OptionalDouble.of(cost);
    }

    /** Credits left on the account. */
    public OptionalDouble remainingCredits() {
        return remainingCredits == null ? OptionalDouble.empty() : OptionalDouble.of(remainingCredits);
    }

    /** How often the service retried the job. */
    public OptionalInt retryCount() {
        return retryCount == null ? OptionalInt.empty() : OptionalInt.of(retryCount);
    }

    private static Optional<Duration> seconds(Double value) {
        if (value == null || value.isNaN() || value.isInfinite() || value < 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.round(value * 1e9)));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JobMetrics)) {
            return false;
        }
        JobMetrics m = (JobMetrics) o;
        return Objects.equals(inferenceSeconds, m.inferenceSeconds) && Objects.equals(queueSeconds, m.queueSeconds)
                && Objects.equals(totalSeconds, m.totalSeconds) && Objects.equals(cost, m.cost)
                && Objects.equals(remainingCredits, m.remainingCredits) && Objects.equals(retryCount, m.retryCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inferenceSeconds, queueSeconds, totalSeconds, cost, remainingCredits, retryCount);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("JobMetrics{");
        append(s, "inference_time", inferenceSeconds);
        append(s, "queue_time", queueSeconds);
        append(s, "total_time", totalSeconds);
        append(s, "cost", cost);
        append(s, "remaining_credits", remainingCredits);
        append(s, "retry_count", retryCount);
        if (s.charAt(s.length() - 1) == ' ') {
            s.setLength(s.length() - 2);
        }
        return s.append('}').toString();
    }

    private static void append(StringBuilder s, String name, Object value) {
        if (value != null) {
            s.append(name).append('=').append(value).append(", ");
        }
    }
}
