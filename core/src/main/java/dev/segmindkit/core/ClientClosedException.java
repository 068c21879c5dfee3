package dev.segmindkit.core;

/**
 * The client was closed while this call was under way: the call ends at once with this error,
 * naming the job where there is one. A job already submitted goes on running at the service and can
 * be resumed by its request id from another client. A submit under way when its client closed ends
 * in {@link SubmitOutcomeUnknownException} with this as its cause, since the job may have been
 * created.
 */
public class ClientClosedException extends SegmindException {
    private static final long serialVersionUID = 1L;

    public ClientClosedException(String operation, String requestId) {
        super("the client was closed during " + operation + (requestId == null ? "" : " (job " + requestId + ")"), requestId, null);
    }
}
