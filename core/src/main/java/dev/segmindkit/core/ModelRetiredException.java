package dev.segmindkit.core;

/** The model was retired (HTTP 410). */
public class ModelRetiredException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public ModelRetiredException(Details details) {
        super(details);
    }
}
