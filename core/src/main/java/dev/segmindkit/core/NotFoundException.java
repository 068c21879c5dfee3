package dev.segmindkit.core;

/** Unknown model, unknown request id, or a request older than the service's one-hour retention (HTTP 404). */
public class NotFoundException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(Details details) {
        super(details);
    }
}
