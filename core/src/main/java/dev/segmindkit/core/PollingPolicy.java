package dev.segmindkit.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How both clients wait for an asynchronous job: when the first status poll goes out, how the
 * interval between polls evolves, the total deadline, and the timeout of each request.
 *
 * <p>Immutable; every {@code with*} method returns a changed copy and validates its argument at
 * once. {@link #defaults()} is the SDK's choice; {@link #fixed(Duration)} reproduces the official
 * Python SDK (first poll at once, then one every interval).
 *
 * <p><b>Typical durations.</b> A client that knows how long a model usually runs (the spec records
 * it for the two models it describes) passes it to {@link #delayBeforePoll}: with a non-zero
 * {@linkplain #withQuietFraction quiet fraction} the first poll then waits until that fraction of
 * the typical duration has passed, since polling a job that cannot be finished yet only spends
 * requests. Jobs resumed by id, or of models with no typical duration, are polled from the start.
 */
public final class PollingPolicy {
    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(600);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final PollingPolicy DEFAULTS = new PollingPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0,
            Duration.ofSeconds(1), 0.6, DEFAULT_DEADLINE, DEFAULT_REQUEST_TIMEOUT);

    private final Duration firstPollDelay;
    private final Duration interval;
    private final double multiplier;
    private final Duration maxInterval;
    private final double quietFraction;
    private final Duration deadline;
    private final Duration requestTimeout;

    private PollingPolicy(Duration firstPollDelay, Duration interval, double multiplier, Duration maxInterval,
            double quietFraction, Duration deadline, Duration requestTimeout) {
        this.firstPollDelay = firstPollDelay;
        this.interval = interval;
        this.multiplier = multiplier;
        this.maxInterval = maxInterval;
        this.quietFraction = quietFraction;
        this.deadline = deadline;
        this.requestTimeout = requestTimeout;
    }

    /**
     * The SDK's default: first poll after 1 s (or after 60% of the model's typical duration, when
     * known), then one every second; 600 s deadline; 30 s per request.
     */
    public static PollingPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Parity with the official Python SDK: first poll at once, then one every {@code interval}, no
     * quiet period; 600 s deadline.
     */
    public static PollingPolicy fixed(Duration interval) {
        Checks.positive(interval, "interval");
        return new PollingPolicy(Duration.ZERO, interval, 1.0, interval, 0.0, DEFAULT_DEADLINE, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Exponential spacing: first poll after {@code initial}, each interval {@code multiplier} times
     * the last, never more than {@code max}; no quiet period.
     */
    public static PollingPolicy backoff(Duration initial, double multiplier, Duration max) {
        return DEFAULTS.withFirstPollDelay(initial).withInterval(initial).withMultiplier(multiplier)
                .withMaxInterval(max).withQuietFraction(0.0);
    }

    /** Delay between the submit (or the start of waiting) and the first poll; zero polls at once. */
    public PollingPolicy withFirstPollDelay(Duration delay) {
        Checks.notNegative(delay, "firstPollDelay");
        return new PollingPolicy(delay, interval, multiplier, maxInterval, quietFraction, deadline, requestTimeout);
    }

    /** The interval after the first poll. Raises the maximum interval to match if needed. */
    public PollingPolicy withInterval(Duration interval) {
        Checks.positive(interval, "interval");
        Duration max = maxInterval.compareTo(interval) < 0 ? interval : maxInterval;
        return new PollingPolicy(firstPollDelay, interval, multiplier, max, quietFraction, deadline, requestTimeout);
    }

    /** Growth of the interval from one poll to the next: 1.0 keeps it fixed. */
    public PollingPolicy withMultiplier(double multiplier) {
        Checks.multiplier(multiplier);
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, quietFraction, deadline, requestTimeout);
    }

    /** The longest interval between polls. */
    public PollingPolicy withMaxInterval(Duration max) {
        Checks.positive(max, "maxInterval");
        if (max.compareTo(interval) < 0) {
            throw new IllegalArgumentException("maxInterval must be >= interval (" + interval + "), got " + max);
        }
        return new PollingPolicy(firstPollDelay, interval, multiplier, max, quietFraction, deadline, requestTimeout);
    }

    /**
     * Fraction of a model's typical duration to let pass before the first poll, from 0.0 (poll
     * from the start) to 1.0.
     */
    public PollingPolicy withQuietFraction(double fraction) {
        Checks.fraction(fraction, "quietFraction");
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, fraction, deadline, requestTimeout);
    }

    /** How long to wait for a job in total before {@link InferenceTimeoutException}. */
    public PollingPolicy withDeadline(Duration deadline) {
        Checks.positive(deadline, "deadline");
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, quietFraction, deadline, requestTimeout);
    }

    /** Timeout of each single HTTP request made while waiting. */
    public PollingPolicy withRequestTimeout(Duration timeout) {
        Checks.positive(timeout, "requestTimeout");
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, quietFraction, deadline, timeout);
    }

    public Duration firstPollDelay() {
        return firstPollDelay;
    }

    public Duration interval() {
        return interval;
    }

    public double multiplier() {
        return multiplier;
    }

    public Duration maxInterval() {
        return maxInterval;
    }

    public double quietFraction() {
        return quietFraction;
    }

    public Duration deadline() {
        return deadline;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * How long to wait before the next status poll.
     *
     * @param pollsDone polls already made for this job while waiting (0 before the first)
     * @param elapsed time since waiting started
     * @param typicalDuration how long the job's model usually runs, when known
     * @return the delay, never negative; callers cap it at the time left before the deadline
     */
    public Duration delayBeforePoll(int pollsDone, Duration elapsed, Optional<Duration> typicalDuration) {
        if (pollsDone < 0) {
            throw new IllegalArgumentException("pollsDone must be >= 0, got " + pollsDone);
        }
        Objects.requireNonNull(elapsed, "elapsed");
        if (pollsDone == 0) {
            Duration first = firstPollDelay;
            if (typicalDuration.isPresent() && quietFraction > 0) {
                Duration quiet = Duration.ofNanos((long) (typicalDuration.get().toNanos() * quietFraction));
                if (quiet.compareTo(first) > 0) {
                    first = quiet;
                }
            }
            Duration left = first.minus(elapsed);
            return left.isNegative() ? Duration.ZERO : left;
        }
        double nanos = interval.toNanos() * Math.pow(multiplier, pollsDone - 1);
        return nanos >= maxInterval.toNanos() ? maxInterval : Duration.ofNanos((long) nanos);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PollingPolicy)) {
            return false;
        }
        PollingPolicy p = (PollingPolicy) o;
        return firstPollDelay.equals(p.firstPollDelay) && interval.equals(p.interval) && multiplier == p.multiplier
                && maxInterval.equals(p.maxInterval) && quietFraction == p.quietFraction && deadline.equals(p.deadline)
                && requestTimeout.equals(p.requestTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(firstPollDelay, interval, multiplier, maxInterval, quietFraction, deadline, requestTimeout);
    }

    @Override
    public String toString() {
        return "PollingPolicy{firstPollDelay=" + firstPollDelay + ", interval=" + interval + ", multiplier=" + multiplier
                + ", maxInterval=" + maxInterval + ", quietFraction=" + quietFraction + ", deadline=" + deadline
                + ", requestTimeout=" + requestTimeout + '}';
    }
}
