package dev.segmindkit.reactive;

import dev.segmindkit.core.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Drives a {@link VirtualTimeScheduler} shared by a reactive client and the fake server (whose
 * clock reads the scheduler's time), moving it only while the client is idle: a request under way
 * is answered (in real time, over loopback) before time moves again, so polls land exactly on
 * their scheduled instants and a ten-minute job is walked through in milliseconds.
 */
final class VirtualClock {
    private static final Duration MAX_REAL_WAIT = Duration.ofSeconds(20);

    private final VirtualTimeScheduler vts;
    private volatile InFlightProbe inFlight;
    private volatile Thread waiter;

    VirtualClock(VirtualTimeScheduler vts) {
        this.vts = vts;
    }

    /** The fake's clock: the scheduler's time. The fake sleeps only for delay faults and v1 runs, not used here. */
    TimeSource timeSource() {
        return new TimeSource() {
            @Override
            public Instant now() {
                return Instant.ofEpochMilli(vts.now(TimeUnit.MILLISECONDS));
            }

            @Override
            public void sleep(Duration duration) {
                // Virtual time is moved by the test alone.
            }

            @Override
            public String toString() {
                return "VirtualTimeScheduler clock";
            }
        };
    }

    void watch(InFlightProbe probe) {
        this.inFlight = probe;
        probe.onIdle(() -> {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        });
    }

    Instant now() {
        return Instant.ofEpochMilli(vts.now(TimeUnit.MILLISECONDS));
    }

    /** Moves time on in steps, each once the client is idle, until {@code done} or {@code max} has passed. */
    void advanceUntil(BooleanSupplier done, Duration step, Duration max) {
        Duration moved = Duration.ZERO;
        awaitIdle();
        while (!done.getAsBoolean() && moved.compareTo(max) < 0) {
            vts.advanceTimeBy(step);
            moved = moved.plus(step);
            awaitIdle();
        }
    }

    /** Moves time on by {@code total} in steps, each once the client is idle. */
    void advanceBy(Duration total, Duration step) {
        advanceUntil(() -> false, step, total);
    }

    /** Waits (in real time, woken by the client) until no exchange is under way. */
    void awaitIdle() {
        long giveUp = System.nanoTime() + MAX_REAL_WAIT.toNanos();
        waiter = Thread.currentThread();
        try {
            while (inFlight.count() > 0) {
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("the client still had " + inFlight.count() + " exchanges under way after " + MAX_REAL_WAIT);
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
            }
        } finally {
            waiter = null;
        }
    }
}
