package dev.segmindkit.core;

/**
 * An answer the client cannot take as it is: a body that is not what the operation answers
 * (malformed or truncated JSON, a missing field, a body over its documented size limit), or an
 * answer that contradicts what the service said before about the same job (a status COMPLETED
 * followed by a result still PROCESSING, an output that is neither a URL nor inline data). It
 * names the job where there is one. For the retry rules it is a network failure after sending: a
 * read is retried, a submit's outcome is unknown.
 */
public class UnexpectedAnswerException extends SegmindIOException {
    private static final long serialVersionUID = 1L;

    public UnexpectedAnswerException(String message, String requestId, Throwable cause) {
        super(message, true, requestId, cause);
    }
}
