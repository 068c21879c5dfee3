package dev.segmindkit.reactive;

import dev.segmindkit.core.ExchangeListener;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many HTTP attempts a client has under way, heard through its public {@link ExchangeListener},
 * and a hook run each time the count falls back to zero: tests that drive a virtual clock move time
 * only while the client waits, never while an answer is on its way.
 */
final class InFlightProbe implements ExchangeListener {
    private final AtomicInteger count = new AtomicInteger();
    private volatile Runnable onIdle = () -> { };

    @Override
    public void attemptStarted(String operation) {
        count.incrementAndGet();
    }

    @Override
    public void attemptEnded(String operation, Throwable failure) {
        if (count.decrementAndGet() == 0) {
            onIdle.run();
        }
    }

    /** Attempts under way now. */
    int count() {
        return count.get();
    }

    /** Runs {@code hook} (quick, non-blocking) each time the count falls to zero. */
    void onIdle(Runnable hook) {
        this.onIdle = hook;
    }
}
