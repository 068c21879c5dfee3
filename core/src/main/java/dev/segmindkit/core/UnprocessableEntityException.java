package dev.segmindkit.core;

/** HTTP 422 whose body is not a FAILED job (a FAILED job is an {@link InferenceFailedException}). */
public class UnprocessableEntityException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public UnprocessableEntityException(Details details) {
        super(details);
    }
}
