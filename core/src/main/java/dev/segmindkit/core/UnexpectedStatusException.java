package dev.segmindkit.core;

/** An HTTP status the SDK has no specific type for. */
public class UnexpectedStatusException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public UnexpectedStatusException(Details details) {
        super(details);
    }
}
