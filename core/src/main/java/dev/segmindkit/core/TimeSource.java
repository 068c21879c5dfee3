package dev.segmindkit.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The time seam: where the blocking client reads the time and waits. Production uses {@link
 * #system()}; tests pass a controllable clock (the testkit's {@code ManualClock} is one, and the
 * fake server can run on the very same object), so a ten-minute job is waited for in milliseconds
 * and no test sleeps.
 */
public interface TimeSource {

    /** The current instant. Never goes backwards. */
    Instant now();

    /**
     * Waits for {@code duration}, or returns at once for zero or negative durations.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Real time: wall-clock instants that never go backwards (read from a monotonic counter
     * anchored at the wall clock once), and {@link Thread#sleep}, which parks a virtual thread
     * without pinning its carrier.
     */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}

final class SystemTimeSource implements TimeSource {
    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    private final Instant origin = Instant.now();
    private final long originNanos = System.nanoTime();

    @Override
    public Instant now() {
        return origin.plusNanos(System.nanoTime() - originNanos);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative() || duration.isZero()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
