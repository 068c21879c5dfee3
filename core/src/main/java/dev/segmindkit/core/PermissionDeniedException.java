package dev.segmindkit.core;

/** The model is not allowed for this account (HTTP 403). */
public class PermissionDeniedException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(Details details) {
        super(details);
    }
}
