package dev.segmindkit.sync.internal;

import dev.segmindkit.core.TimeSource;
import java.time.Duration;
import java.time.Instant;

/**
 * A client-wide cap on status polls per second, on the client's time source: each poll reserves
 * the next free slot and waits for it outside the lock, so waiting threads never hold a monitor
 * (no pinned virtual threads) and tests on a manual clock never block.
 */
public final class PollRateLimiter {
    private final TimeSource time;
    private final Duration spacing;
    private Instant nextFree = Instant.MIN;

    public PollRateLimiter(TimeSource time, double permitsPerSecond) {
        this.time = time;
        this.spacing = Duration.ofNanos((long) (1e9 / checkRate(permitsPerSecond)));
    }

    /** The rate, if it is a positive finite number of polls per second. */
    public static double checkRate(double permitsPerSecond) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("the poll rate limit must be a positive number of polls per second, got " + permitsPerSecond);
        }
        return permitsPerSecond;
    }

    /** How long the caller must wait before its poll; the slot is reserved for it. */
    public Duration reserve() {
        Instant now = time.now();
        Instant slot;
        synchronized (this) {
            slot = nextFree.isAfter(now) ? nextFree : now;
            nextFree = slot.plus(spacing);
        }
        return Duration.between(now, slot);
    }
}
