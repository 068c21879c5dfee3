package dev.segmindkit.core;

/**
 * Hears each HTTP attempt of a client, from the moment it starts (before connecting) to the moment
 * its answer has been handled whole or it failed; a retried request is several attempts. For
 * metrics, traces and tests that need to know when the client is idle (a virtual clock moves time
 * only between attempts). Called on the thread of the attempt (an event loop in the reactive client):
 * quick and non-blocking.
 */
public interface ExchangeListener {

    /**
     * An attempt starts.
     *
     * @param operation what is sent, such as {@code GET /v2/requests/<id>/status}
     */
    void attemptStarted(String operation);

    /**
     * The attempt ended: its answer was handled, or it failed.
     *
     * @param failure why it failed, or null if it was answered and handled
     */
    void attemptEnded(String operation, Throwable failure);

    /** A listener that does nothing (the default: a client then does no work for it at all). */
    static ExchangeListener none() {
        return Quiet.INSTANCE;
    }

    /** The listener {@link #none()} answers. */
    enum Quiet implements ExchangeListener {
        INSTANCE;

        @Override
        public void attemptStarted(String operation) {
        }

        @Override
        public void attemptEnded(String operation, Throwable failure) {
        }
    }
}
