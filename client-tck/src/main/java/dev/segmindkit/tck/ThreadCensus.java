package dev.segmindkit.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which threads a piece of code left running: take a census before building a client, use and
 * close it, then ask for the threads started since that are still alive. Settling is driven by
 * joining those threads (each for what is left of a bounded time), never by sleeping, so a client
 * that releases everything costs no wait at all.
 */
public final class ThreadCensus {
    private final Set<Thread> before;

    private ThreadCensus(Set<Thread> before) {
        this.before = before;
    }

    /** The threads alive now. */
    public static ThreadCensus take() {
        return new ThreadCensus(Set.copyOf(Thread.getAllStackTraces().keySet()));
    }

    /** Threads alive now that were not at the census, except those {@code shared} names as expected. */
    public List<Thread> newThreads(Predicate<Thread> shared) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !shared.test(t))
                .collect(Collectors.toList());
    }

    /**
     * Waits for the threads started since the census (but those {@code shared} names) to end, for
     * at most {@code timeout} in all; {@code beforeEachRound} runs first each round (to ask the
     * garbage collector to reclaim what a closed client dropped, say).
     *
     * @return the names of the threads still alive when the time was up; empty if none
     */
    public List<String> awaitNewThreadsEnded(Predicate<Thread> shared, Duration timeout, Runnable beforeEachRound)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            beforeEachRound.run();
            List<Thread> alive = newThreads(shared);
            if (alive.isEmpty()) {
                return List.of();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                List<String> names = new ArrayList<>();
                alive.forEach(t -> names.add(t.getName() + " " + t.getState()));
                return names;
            }
            // Join one survivor for a slice of the time left, then look again: threads created in
            // between (a pool replacing a worker) are seen in the next round.
            alive.get(0).join(Math.max(1, Math.min(left / 1_000_000, 1_000)));
        }
    }
}
