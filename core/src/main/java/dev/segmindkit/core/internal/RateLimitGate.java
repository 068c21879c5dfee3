package dev.segmindkit.core.internal;

import dev.segmindkit.core.RateLimitException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What both clients do after a 429: the rate limit is the key's, not one request's, so no request
 * of the client goes out before the reset the service gave (at most {@code maxWait} ahead).
 * Thread-safe and lock-free; it only computes, the caller waits on its own time seam.
 */
public final class RateLimitGate {
    private final Duration maxWait;
    private final AtomicReference<Instant> closedUntil = new AtomicReference<>(Instant.MIN);

    public RateLimitGate(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** Closes the gate until the reset this 429 asked for, unless it is already closed for longer. */
    public void note(RateLimitException limited, Instant now) {
        Duration wait = limited.requestedWait(now).orElse(Duration.ZERO);
        Instant until = now.plus(wait.compareTo(maxWait) > 0 ? maxWait : wait);
        closedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** How long a request must wait from {@code now}; zero when the gate is open. */
    public Duration waitFrom(Instant now) {
        Duration wait = Duration.between(now, closedUntil.get());
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
