package dev.segmindkit.core;

import java.util.Optional;

/**
 * Root of every error segmindkit throws. Unchecked, so callers handle only what they can act on.
 *
 * <p>Subtypes say what happened: {@link SegmindApiException} and its family for an HTTP error
 * answer, {@link InferenceFailedException} and {@link InferenceTimeoutException} for job outcomes,
 * {@link SubmitOutcomeUnknownException} when a submit's answer was lost, {@link SegmindIOException}
 * for network failures, {@link WaitInterruptedException} when a waiting thread was interrupted and
 * {@link ValidationException} for requests refused before anything was sent. Messages never
 * contain the API key.
 */
public class SegmindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String requestId;

    public SegmindException(String message, String requestId, Throwable cause) {
        // Cleaned here, so no message or cause of any SDK error shows a key, whoever wrote the text.
        super(dev.segmindkit.core.internal.Secrets.redact(message), dev.segmindkit.core.internal.Secrets.scrub(cause));
        this.requestId = requestId;
    }

    /** The id of the job this error concerns, where there is one. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }
}
