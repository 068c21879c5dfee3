package dev.segmindkit.testkit;

import dev.segmindkit.core.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clock that moves only when told to: the fake server's clock, and at the same time an SDK
 * client's {@link TimeSource}, so a client waiting on a ten-minute job finishes in milliseconds
 * and no test sleeps.
 *
 * <p>{@link #sleep(Duration)} never blocks: it moves the clock forward to at least the instant the
 * sleep would have ended and returns at once. A client that polls every second through this clock
 * therefore walks the fake's job timeline second by second, at CPU speed. Several threads may
 * sleep on it at once; the clock then ends at the latest of their wake-up times.
 *
 * <p>Like every {@link TimeSource}, it never goes backwards: {@link #advance} with a negative
 * duration and {@link #set} to an earlier instant throw {@link IllegalArgumentException}.
 * Thread-safe.
 */
public final class ManualClock implements TimeSource {
    /** Where a clock made with {@link #ManualClock()} starts: a fixed instant, so journals read the same on every run. */
    public static final Instant DEFAULT_START = Instant.ofEpochSecond(1_767_225_600L); // 2026-01-01T00:00:00Z, without loading a parser

    private Instant now;

    /** A clock at {@link #DEFAULT_START}. */
    public ManualClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}. */
    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    /**
     * Moves the clock forward.
     *
     * @return the new time
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public synchronized Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a ManualClock only moves forward: cannot advance by " + duration);
        }
        now = now.plus(duration);
        return now;
    }

    /**
     * Moves the clock to {@code instant}; setting the current time again is allowed.
     *
     * @throws IllegalArgumentException if {@code instant} is before the current time
     */
    public synchronized void set(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        if (instant.isBefore(now)) {
            throw new IllegalArgumentException("a ManualClock only moves forward: it is " + now + ", cannot set it to " + instant);
        }
        now = instant;
    }

    /**
     * Moves the clock to at least (the time at the call + {@code duration}) and returns at once.
     *
     * @throws InterruptedException if the calling thread is interrupted (its flag is then cleared)
     */
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while sleeping on a ManualClock");
        }
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        Instant wakeUp = now().plus(duration);
        synchronized (this) {
            // Another sleeper may already have moved the clock past our wake-up time: never add
            // our duration on top of theirs, or parallel sleepers would push time twice as far.
            if (wakeUp.isAfter(now)) {
                now = wakeUp;
            }
        }
    }

    @Override
    public String toString() {
        return "ManualClock[" + now() + "]";
    }
}
