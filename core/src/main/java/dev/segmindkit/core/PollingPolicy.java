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
 * it for the two models it describes) passes it to {@link #delayBeforePoll}. With a non-zero
 * {@linkplain #withDurationSpread duration spread} the policy then spaces polls by how likely the
 * job is to have just finished, taking job durations as log-normal around the typical one: sparse
 * while the job can hardly be done (never more than a quarter of the typical duration apart),
 * closer as it nears its typical duration, and the {@linkplain #withDensestInterval densest
 * interval} apart from there on. Polling a job that cannot be finished yet only spends requests.
 * Jobs of models with no typical duration follow the plain schedule: first poll delay, then the
 * interval times the multiplier up to the maximum. {@code bench/} measures the default against
 * the official Python SDK's schedule (BENCHMARKS.md, "polling efficiency").
 */
public final class PollingPolicy {
    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(600);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final double DEFAULT_SPREAD = 0.25;
    private static final Duration DEFAULT_DENSEST = Duration.ofMillis(550);
    private static final PollingPolicy DEFAULTS = new PollingPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0,
            Duration.ofSeconds(1), new DurationShape(DEFAULT_SPREAD), DEFAULT_DENSEST, DEFAULT_DEADLINE, DEFAULT_REQUEST_TIMEOUT);

    private final Duration firstPollDelay;
    private final Duration interval;
    private final double multiplier;
    private final Duration maxInterval;
    /** Null when the spread is 0: typical durations are then ignored. */
    private final DurationShape shape;
    private final Duration densestInterval;
    private final Duration deadline;
    private final Duration requestTimeout;

    private PollingPolicy(Duration firstPollDelay, Duration interval, double multiplier, Duration maxInterval,
            DurationShape shape, Duration densestInterval, Duration deadline, Duration requestTimeout) {
        this.firstPollDelay = firstPollDelay;
        this.interval = interval;
        this.multiplier = multiplier;
        this.maxInterval = maxInterval;
        this.shape = shape;
        this.densestInterval = densestInterval;
        this.deadline = deadline;
        this.requestTimeout = requestTimeout;
    }

    /**
     * The SDK's default: for a model with a typical duration, polls spaced by the chance the job
     * has just finished (duration spread 0.25, densest interval 0.55 s); otherwise first poll after
     * 1 s, then one every second; 600 s deadline; 30 s per request.
     */
    public static PollingPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Parity with the official Python SDK: first poll at once, then one every {@code interval},
     * whatever the model's typical duration; 600 s deadline.
     */
    public static PollingPolicy fixed(Duration interval) {
        Checks.positive(interval, "interval");
        return new PollingPolicy(Duration.ZERO, interval, 1.0, interval, null, DEFAULT_DENSEST, DEFAULT_DEADLINE,
                DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Exponential spacing: first poll after {@code initial}, each interval {@code multiplier} times
     * the last, never more than {@code max}, whatever the model's typical duration.
     */
    public static PollingPolicy backoff(Duration initial, double multiplier, Duration max) {
        return DEFAULTS.withFirstPollDelay(initial).withInterval(initial).withMultiplier(multiplier)
                .withMaxInterval(max).withDurationSpread(0.0);
    }

    /** Delay between the submit (or the start of waiting) and the first poll; zero polls at once. */
    public PollingPolicy withFirstPollDelay(Duration delay) {
        Checks.notNegative(delay, "firstPollDelay");
        return new PollingPolicy(delay, interval, multiplier, maxInterval, shape, densestInterval, deadline, requestTimeout);
    }

    /** The interval after the first poll. Raises the maximum interval to match if needed. */
    public PollingPolicy withInterval(Duration interval) {
        Checks.positive(interval, "interval");
        Duration max = maxInterval.compareTo(interval) < 0 ? interval : maxInterval;
        return new PollingPolicy(firstPollDelay, interval, multiplier, max, shape, densestInterval, deadline, requestTimeout);
    }

    /** Growth of the interval from one poll to the next: 1.0 keeps it fixed. */
    public PollingPolicy withMultiplier(double multiplier) {
        Checks.multiplier(multiplier);
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, shape, densestInterval, deadline, requestTimeout);
    }

    /** The longest interval between polls. */
    public PollingPolicy withMaxInterval(Duration max) {
        Checks.positive(max, "maxInterval");
        if (max.compareTo(interval) < 0) {
            throw new IllegalArgumentException("maxInterval must be >= interval (" + interval + "), got " + max);
        }
        return new PollingPolicy(firstPollDelay, interval, multiplier, max, shape, densestInterval, deadline, requestTimeout);
    }

    /**
     * How widely a model's job durations spread around its typical duration, as the {@code σ} of a
     * log-normal distribution (0.25: most jobs take between 0.6 and 1.6 times the typical
     * duration), from 0.0 to 2.0. 0.0 ignores typical durations and always follows the plain
     * schedule.
     */
    public PollingPolicy withDurationSpread(double spread) {
        if (!(spread >= 0.0 && spread <= 2.0)) {
            throw new IllegalArgumentException("durationSpread must be between 0.0 and 2.0, got " + spread);
        }
        DurationShape newShape = spread == 0.0 ? null : shape != null && shape.spread() == spread ? shape : new DurationShape(spread);
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, newShape, densestInterval, deadline,
                requestTimeout);
    }

    /**
     * The closest spacing of polls for a job whose model has a typical duration, reached as the job
     * nears that duration and kept from there on.
     */
    public PollingPolicy withDensestInterval(Duration densest) {
        Checks.positive(densest, "densestInterval");
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, shape, densest, deadline, requestTimeout);
    }

    /** How long to wait for a job in total before {@link InferenceTimeoutException}. */
    public PollingPolicy withDeadline(Duration deadline) {
        Checks.positive(deadline, "deadline");
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, shape, densestInterval, deadline, requestTimeout);
    }

    /** Timeout of each single HTTP request made while waiting. */
    public PollingPolicy withRequestTimeout(Duration timeout) {
        Checks.positive(timeout, "requestTimeout");
        return new PollingPolicy(firstPollDelay, interval, multiplier, maxInterval, shape, densestInterval, deadline, timeout);
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

    /** The log-normal spread of job durations assumed around a typical duration; 0.0 ignores them. */
    public double durationSpread() {
        return shape == null ? 0.0 : shape.spread();
    }

    public Duration densestInterval() {
        return densestInterval;
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
        if (shape != null && typicalDuration.isPresent() && typicalDuration.get().compareTo(Duration.ZERO) > 0) {
            return shapedDelay(elapsed, typicalDuration.get());
        }
        if (pollsDone == 0) {
            Duration left = firstPollDelay.minus(elapsed);
            return left.isNegative() ? Duration.ZERO : left;
        }
        double nanos = interval.toNanos() * Math.pow(multiplier, pollsDone - 1);
        return nanos >= maxInterval.toNanos() ? maxInterval : Duration.ofNanos((long) nanos);
    }

    private Duration shapedDelay(Duration elapsed, Duration typical) {
        double widest = Math.max(typical.toNanos() / 4.0, densestInterval.toNanos());
        double nanos = Math.min(densestInterval.toNanos() * shape.widening(elapsed, typical), widest);
        return Duration.ofNanos((long) nanos);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PollingPolicy)) {
            return false;
        }
        PollingPolicy p = (PollingPolicy) o;
        return firstPollDelay.equals(p.firstPollDelay) && interval.equals(p.interval) && multiplier == p.multiplier
                && maxInterval.equals(p.maxInterval) && durationSpread() == p.durationSpread()
                && densestInterval.equals(p.densestInterval) && deadline.equals(p.deadline)
                && requestTimeout.equals(p.requestTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(firstPollDelay, interval, multiplier, maxInterval, shape, densestInterval, deadline, requestTimeout);
    }

    @Override
    public String toString() {
        return "PollingPolicy{firstPollDelay=" + firstPollDelay + ", interval=" + interval + ", multiplier=" + multiplier
                + ", maxInterval=" + maxInterval + ", durationSpread=" + durationSpread() + ", densestInterval=" + densestInterval
                + ", deadline=" + deadline
                + ", requestTimeout=" + requestTimeout + '}';
    }
}
