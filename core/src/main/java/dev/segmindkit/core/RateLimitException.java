package dev.segmindkit.core;

/** Rate limited (HTTP 429). {@link #rateLimitResetAt()} and {@link #retryAfter()} say when to try again; the SDK's retries already honour them. */
public class RateLimitException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public RateLimitException(Details details) {
        super(details);
    }
}
