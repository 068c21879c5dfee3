package dev.segmindkit.core;

/** The account has too few credits, or the request's content type was refused (HTTP 406). */
public class InsufficientCreditsException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public InsufficientCreditsException(Details details) {
        super(details);
    }
}
