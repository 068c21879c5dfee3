package dev.segmindkit.core;

/**
 * A network failure: the service could not be reached, or the exchange broke off. {@link
 * #requestSent()} tells whether the request may have reached the service; a submit that may have
 * been sent is reported as {@link SubmitOutcomeUnknownException} instead.
 */
public class SegmindIOException extends SegmindException {
    private static final long serialVersionUID = 1L;

    private final boolean requestSent;

    public SegmindIOException(String message, boolean requestSent, String requestId, Throwable cause) {
        super(message, requestId, cause);
        this.requestSent = requestSent;
    }

    /** False only when the failure came before the request could reach the service (a connect failure). */
    public boolean requestSent() {
        return requestSent;
    }
}
