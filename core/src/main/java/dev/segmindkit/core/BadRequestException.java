package dev.segmindkit.core;

/** The request was refused as malformed or with an invalid parameter (HTTP 400). */
public class BadRequestException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(Details details) {
        super(details);
    }
}
