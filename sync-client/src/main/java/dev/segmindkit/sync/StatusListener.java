package dev.segmindkit.sync;

import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.StatusUpdate;

/**
 * Hears what a waiting client sees, as it happens: each change of a job's status, and each failed
 * request that is about to be retried. Called on the waiting thread; keep it quick, and do not
 * throw (an exception thrown here ends the wait with that exception).
 */
public interface StatusListener {

    /** The job's status changed (the first status seen counts as a change). */
    void onStatusChange(StatusUpdate update);

    /** A failed request is about to be retried after {@link RetryEvent#delay()}. */
    default void onRetry(RetryEvent event) {
    }

    /** A listener that ignores everything. */
    static StatusListener none() {
        return update -> { };
    }
}
