package dev.segmindkit.core;

/** The service or its gateway failed (HTTP 5xx). A 500 is often caused by a bad parameter value. */
public class ServerException extends SegmindApiException {
    private static final long serialVersionUID = 1L;

    public ServerException(Details details) {
        super(details);
    }
}
