package dev.segmindkit.core;

/**
 * The thread waiting for a job was interrupted. Polling stopped, the thread's interrupt flag is
 * set again, and the job itself goes on: resume it by its request id.
 */
public class WaitInterruptedException extends SegmindException {
    private static final long serialVersionUID = 1L;

    public WaitInterruptedException(String requestId, InterruptedException cause) {
        super("interrupted while waiting for job " + requestId + "; the job goes on: resume it by its request id", requestId, cause);
    }
}
