package dev.segmindkit.reactive;

import dev.segmindkit.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link Scheduler} on a testkit {@link ManualClock}, so that the reactive client and the fake
 * server share one clock that only tests move. Delayed tasks wait in a queue; whenever the client
 * is idle (no exchange under way and no task running), the earliest one is due: the clock jumps to
 * its time (with {@code clock.sleep}, as the blocking client's waits do) and it runs. Time thus
 * never moves while an answer is on its way, so a per-request timeout cannot fire just because
 * time was moved for someone else, and a ten-minute job runs in milliseconds.
 *
 * <p>Every task runs on one daemon thread, the test's stand-in for the passage of time (not a
 * non-blocking thread for BlockHound). Other threads only enqueue and unpark it, which never blocks
 * them.
 */
final class ManualClockScheduler implements Scheduler {
    private static final AtomicLong THREADS = new AtomicLong();

    private final ManualClock clock;
    private final Queue<Runnable> immediate = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timed> timed = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread driver;
    private volatile InFlightProbe inFlight;
    private volatile boolean disposed;

    ManualClockScheduler(ManualClock clock) {
        this.clock = clock;
        this.driver = new Thread(this::loop, "manual-clock-" + THREADS.incrementAndGet());
        this.driver.setDaemon(true);
        this.driver.start();
    }

    /** Starts moving time whenever this client is idle. */
    void drive(InFlightProbe probe) {
        this.inFlight = probe;
        probe.onIdle(this::wake);
        wake();
    }

    private void wake() {
        LockSupport.unpark(driver);
    }

    private void loop() {
        while (!disposed) {
            Runnable task = immediate.poll();
            if (task == null) {
                task = dueIfIdle();
            }
            if (task == null) {
                LockSupport.park(this);
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }

    private Runnable dueIfIdle() {
        InFlightProbe probe = inFlight;
        if (probe == null || probe.count() > 0) {
            return null;
        }
        Timed next;
        synchronized (timed) {
            next = timed.poll();
        }
        if (next == null) {
            return null;
        }
        try {
            clock.sleep(Duration.between(clock.now(), next.due));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return next.task;
    }

    @Override
    public long now(TimeUnit unit) {
        return unit.convert(clock.now().toEpochMilli(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Disposable schedule(Runnable task) {
        Once once = new Once(task);
        immediate.add(once);
        wake();
        return once;
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        if (delay <= 0) {
            return schedule(task);
        }
        Timed t = new Timed(clock.now().plusNanos(unit.toNanos(delay)), sequence.incrementAndGet(), new Once(task));
        synchronized (timed) {
            timed.add(t);
        }
        wake();
        return t;
    }

    @Override
    public Worker createWorker() {
        Disposable.Composite tasks = Disposables.composite();
        return new Worker() {
            @Override
            public Disposable schedule(Runnable task) {
                Disposable d = ManualClockScheduler.this.schedule(task);
                tasks.add(d);
                return d;
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                Disposable d = ManualClockScheduler.this.schedule(task, delay, unit);
                tasks.add(d);
                return d;
            }

            @Override
            public void dispose() {
                tasks.dispose();
            }

            @Override
            public boolean isDisposed() {
                return tasks.isDisposed();
            }
        };
    }

    @Override
    public void dispose() {
        disposed = true;
        wake();
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    /** A task that does nothing once disposed. */
    private static final class Once implements Runnable, Disposable {
        private final Runnable task;
        private volatile boolean disposed;

        Once(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (!disposed) {
                task.run();
            }
        }

        @Override
        public void dispose() {
            disposed = true;
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    private final class Timed implements Comparable<Timed>, Disposable {
        final Instant due;
        final long seq;
        final Once task;

        Timed(Instant due, long seq, Once task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Timed o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void dispose() {
            task.dispose();
            synchronized (timed) {
                timed.remove(this);
            }
        }

        @Override
        public boolean isDisposed() {
            return task.isDisposed();
        }
    }
}
