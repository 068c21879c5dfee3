package dev.segmindkit.core.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds blocking reads of a client that blocks: each attempt starts a {@link Timer}, which at its
 * time-out (or, for a stream, after its idle time-out, renewed by each chunk and capped) closes the
 * answer it watches, so a thread blocked on a server that stalls or drips fails at once instead of
 * waiting on it. One timer thread per client, ended by {@link #close()}. Real time: it bounds the
 * network, not the client's (injectable) clock.
 */
public final class Watchdog implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;

    public Watchdog(String threadName) {
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * A timer for one attempt, not yet watching anything.
     *
     * @param timeout the time-out, or the idle time-out of a stream
     * @param cap a stream's renewals never reach past this, from now
     */
    public Timer start(Duration timeout, Duration cap) {
        return new Timer(timeout.toNanos(), Math.max(timeout.toNanos(), cap.toNanos()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The watch of one attempt. */
    public final class Timer implements Runnable {
        private final long started = System.nanoTime();
        private final long idleNanos;
        private final long hardEnd;
        private volatile long end;
        private volatile AutoCloseable watched;
        private volatile ScheduledFuture<?> task;
        private volatile boolean expired;

        Timer(long idleNanos, long capNanos) {
            this.idleNanos = idleNanos;
            this.end = started + idleNanos;
            this.hardEnd = started + capNanos;
        }

        /** When the attempt started, in {@link System#nanoTime()}. */
        public long started() {
            return started;
        }

        /** Closes {@code answer} if the attempt outlives its time-out. */
        public void watch(AutoCloseable answer) {
            watched = answer;
            schedule(end - System.nanoTime());
        }

        private void schedule(long nanos) {
            try {
                task = timer.schedule(this, Math.max(0, nanos), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                // The client is closing: its close() ends this call.
            }
        }

        @Override
        public void run() {
            long left = end - System.nanoTime();
            if (left > 0) {
                schedule(left);
                return;
            }
            expired = true;
            AutoCloseable w = watched;
            if (w != null) {
                try {
                    w.close();
                } catch (Exception e) {
                    // Closing is all we can do; the reader fails either way.
                }
            }
        }

        /** Whether the time-out passed (and the answer was closed under its reader). */
        public boolean expired() {
            return expired;
        }

        /** Stops watching: the attempt is over. */
        public void cancel() {
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
        }

        /** The stream, each read renewing the idle time-out (up to the cap). */
        public InputStream renewing(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    renew();
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    renew();
                    return n;
                }
            };
        }

        private void renew() {
            end = Math.min(System.nanoTime() + idleNanos, hardEnd);
        }
    }
}
