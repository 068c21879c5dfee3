package dev.segmindkit.cli;

import dev.segmindkit.core.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The client's clock, which refuses to sleep once Ctrl-C was pressed. Ctrl-C interrupts the
 * waiting thread, but an interrupt that lands inside an HTTP exchange can be lost on the way (the
 * client then just polls on); since every wait between polls and retries sleeps on this clock,
 * the next one ends the wait even so.
 */
final class CancellableTime implements TimeSource {
    private final TimeSource delegate;
    private final BooleanSupplier cancelled;

    CancellableTime(TimeSource delegate, BooleanSupplier cancelled) {
        this.delegate = delegate;
        this.cancelled = cancelled;
    }

    @Override
    public Instant now() {
        return delegate.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (cancelled.getAsBoolean()) {
            throw new InterruptedException("cancelled (Ctrl-C)");
        }
        delegate.sleep(duration);
        if (cancelled.getAsBoolean()) {
            throw new InterruptedException("cancelled (Ctrl-C)");
        }
    }

    @Override
    public String toString() {
        return "CancellableTime[" + delegate + "]";
    }
}
