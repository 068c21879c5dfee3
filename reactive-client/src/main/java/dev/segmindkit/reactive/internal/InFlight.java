package dev.segmindkit.reactive.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many HTTP exchanges a client has under way, and a hook run each time the count falls back to
 * zero. Tests that drive a virtual clock use it to move time only while the client waits, never
 * while an answer is on its way; it is cheap enough to keep in production (one atomic counter).
 */
public final class InFlight {
    private final AtomicInteger count = new AtomicInteger();
    private volatile Runnable onIdle = () -> { };

    void increment() {
        count.incrementAndGet();
    }

    void decrement() {
        if (count.decrementAndGet() == 0) {
            onIdle.run();
        }
    }

    /** Exchanges under way now. */
    public int count() {
        return count.get();
    }

    /** Runs {@code hook} (quick, non-blocking) each time the count falls to zero; replaces any earlier hook. */
    public void onIdle(Runnable hook) {
        this.onIdle = hook == null ? () -> { } : hook;
    }
}
