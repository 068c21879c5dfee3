package dev.segmindkit.core.internal;

import dev.segmindkit.core.UnexpectedAnswerException;

/**
 * A success answer whose body could not be read (malformed or truncated JSON, a missing field).
 * A network failure after sending, for the retry rules: a read is retried, a submit's outcome is
 * unknown.
 */
public final class MalformedResponseException extends UnexpectedAnswerException {
    private static final long serialVersionUID = 1L;

    public MalformedResponseException(String message) {
        super(message, null, null);
    }

    public MalformedResponseException(String message, Throwable cause) {
        super(message, null, cause);
    }

    private MalformedResponseException(String message, String requestId, Throwable cause) {
        super(message, requestId, cause);
    }

    /** This failure, naming the job whose answer it was: a job's error must always carry its id. */
    public MalformedResponseException about(String requestId) {
        MalformedResponseException named = new MalformedResponseException(getMessage(), requestId, getCause());
        named.setStackTrace(getStackTrace());
        return named;
    }
}
