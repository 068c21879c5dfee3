package dev.segmindkit.core;

/** The API key is missing, invalid or expired (HTTP 401). Set a valid key; retrying will not help. */
public class AuthenticationException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(Details details) {
        super(details);
    }
}
