package dev.segmindkit.bench.concurrency;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts of one run's jobs, updated from whatever threads the client runs them on. */
final class Tally {
    private static final int KEPT = 5;

    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger finishedAfterAccept = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final List<Throwable> firstErrors = new CopyOnWriteArrayList<>();
    private final CountDownLatch all;

    Tally(int jobs) {
        this.all = new CountDownLatch(jobs);
    }

    /** The service answered a job's submit. */
    void markAccepted() {
        accepted.incrementAndGet();
    }

    /**
     * A job ended: with its result ({@code error == null}) or with an error.
     *
     * @param wasAccepted whether the service had answered its submit
     */
    void finished(Throwable error, boolean wasAccepted) {
        if (wasAccepted) {
            finishedAfterAccept.incrementAndGet();
        }
        if (error != null) {
            if (errors.incrementAndGet() <= KEPT) {
                firstErrors.add(error);
            }
        }
        finished.incrementAndGet();
        all.countDown();
    }

    int acceptedCount() {
        return accepted.get();
    }

    int finishedCount() {
        return finished.get();
    }

    /** Jobs whose submit has ended: accepted, or failed before the service accepted them. */
    int submitsSettled() {
        return accepted.get() + finished.get() - finishedAfterAccept.get();
    }

    /** Jobs the service has accepted that have not ended yet. */
    int inFlight() {
        return accepted.get() - finishedAfterAccept.get();
    }

    int errors() {
        return errors.get();
    }

    List<Throwable> firstErrors() {
        return firstErrors;
    }

    /** Waits until every job has ended or {@code millis} have passed; true if they all ended. */
    boolean awaitAll(long millis) throws InterruptedException {
        return all.await(millis, TimeUnit.MILLISECONDS);
    }
}
