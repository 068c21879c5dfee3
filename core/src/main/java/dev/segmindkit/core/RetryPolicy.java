package dev.segmindkit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which failed requests both clients retry, and how long they wait before each retry.
 *
 * <p><b>What is retried.</b> A {@linkplain Operation#READ read} (status poll, result, credits,
 * media download) is retried on network errors, 429, 500, 502, 503 and 504. A {@linkplain
 * Operation#SUBMIT submit} (anything that starts a billed job: {@code POST /v2}, {@code POST /v1},
 * uploads) is retried only where no job can have been created: a connect failure, 429 and 503. A
 * submit that failed after it was sent is never re-sent, because the API has no idempotency key.
 *
 * <p><b>How long.</b> Capped exponential backoff with jitter. A server's {@code Retry-After} or
 * {@code x-rate-limit-reset-at-utc} is honoured when it asks for longer, up to {@link
 * #maxServerDelay()}; a server that asks for more than that gets its error surfaced instead of a
 * retry that would only be refused again. Clients never wait past a job's deadline.
 *
 * <p>Immutable; {@code with*} methods return changed copies and validate at once.
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = new RetryPolicy(5, Duration.ofMillis(500), 2.0, Duration.ofSeconds(20), 0.2,
            Duration.ofSeconds(60));
    private static final RetryPolicy NONE = DEFAULTS.withMaxAttempts(1);

    /** What kind of request failed, which decides whether it may be sent again. */
    public enum Operation {
        /** A request that changes nothing: sending it twice is harmless. */
        READ,
        /** A request that may start a billed job: sending it twice may bill twice. */
        SUBMIT
    }

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double multiplier;
    private final Duration maxBackoff;
    private final double jitter;
    private final Duration maxServerDelay;

    private RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff, double jitter,
            Duration maxServerDelay) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.multiplier = multiplier;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
        this.maxServerDelay = maxServerDelay;
    }

    /** 5 attempts, backoff from 500 ms doubling to at most 20 s, 20% jitter, server delays up to 60 s. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** Never retry. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** Attempts in all, the first included; 1 disables retries. */
    public RetryPolicy withMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, maxServerDelay);
    }

    /** The wait before the first retry, before jitter. */
    public RetryPolicy withInitialBackoff(Duration backoff) {
        Checks.positive(backoff, "initialBackoff");
        Duration max = maxBackoff.compareTo(backoff) < 0 ? backoff : maxBackoff;
        return new RetryPolicy(maxAttempts, backoff, multiplier, max, jitter, maxServerDelay);
    }

    /** Growth of the wait from one retry to the next. */
    public RetryPolicy withMultiplier(double multiplier) {
        Checks.multiplier(multiplier);
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, maxServerDelay);
    }

    /** The longest backoff, before jitter. */
    public RetryPolicy withMaxBackoff(Duration max) {
        Checks.positive(max, "maxBackoff");
        if (max.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff (" + initialBackoff + "), got " + max);
        }
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, max, jitter, maxServerDelay);
    }

    /** Random spread of each backoff, as a fraction: 0.2 means within 20% either side. */
    public RetryPolicy withJitter(double jitter) {
        Checks.fraction(jitter, "jitter");
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, maxServerDelay);
    }

    /** The longest wait a server's {@code Retry-After} or rate-limit reset may impose. */
    public RetryPolicy withMaxServerDelay(Duration max) {
        Checks.notNegative(max, "maxServerDelay");
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, max);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public double multiplier() {
        return multiplier;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double jitter() {
        return jitter;
    }

    public Duration maxServerDelay() {
        return maxServerDelay;
    }

    /**
     * Whether a failed request of the given kind may be sent again, by the rules above. Attempts
     * are counted by the caller against {@link #maxAttempts()}.
     *
     * @param now the current time, to judge a rate-limit reset time
     */
    public boolean isRetryable(Operation operation, Throwable failure, Instant now) {
        Objects.requireNonNull(operation, "operation");
        if (failure instanceof SegmindIOException) {
            return operation == Operation.READ || !((SegmindIOException) failure).requestSent();
        }
        if (!(failure instanceof SegmindApiException) || failure instanceof UnprocessableEntityException) {
            return false;
        }
        SegmindApiException api = (SegmindApiException) failure;
        int status = api.status();
        boolean statusRetryable = operation == Operation.READ
                ? status == 429 || status == 500 || status == 502 || status == 503 || status == 504
                : status == 429 || status == 503;
        if (!statusRetryable) {
            return false;
        }
        return api.requestedWait(now).map(d -> d.compareTo(maxServerDelay) <= 0).orElse(true);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry): the capped exponential
     * backoff with jitter, or the server's requested delay when that is longer (capped at {@link
     * #maxServerDelay()}).
     *
     * @param random a number in [0, 1) that places the jitter, such as {@code
     *     ThreadLocalRandom.current().nextDouble()}
     */
    public Duration delayBeforeRetry(int retry, Throwable failure, Instant now, double random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, got " + retry);
        }
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException("random must be in [0, 1), got " + random);
        }
        double base = Math.min(initialBackoff.toNanos() * Math.pow(multiplier, retry - 1), maxBackoff.toNanos());
        Duration backoff = Duration.ofNanos((long) (base * (1.0 - jitter + 2.0 * jitter * random)));
        if (failure instanceof SegmindApiException) {
            Optional<Duration> server = ((SegmindApiException) failure).requestedWait(now);
            if (server.isPresent()) {
                Duration capped = server.get().compareTo(maxServerDelay) > 0 ? maxServerDelay : server.get();
                return capped.compareTo(backoff) > 0 ? capped : backoff;
            }
        }
        return backoff;
    }


    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RetryPolicy)) {
            return false;
        }
        RetryPolicy p = (RetryPolicy) o;
        return maxAttempts == p.maxAttempts && initialBackoff.equals(p.initialBackoff) && multiplier == p.multiplier
                && maxBackoff.equals(p.maxBackoff) && jitter == p.jitter && maxServerDelay.equals(p.maxServerDelay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, maxServerDelay);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", multiplier=" + multiplier
                + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter + ", maxServerDelay=" + maxServerDelay + '}';
    }
}
