package dev.segmindkit.testkit;

/**
 * Where in the protocol a {@link Fault} strikes and a {@link Journal} entry was made. Each phase is
 * one kind of request the client sends.
 */
public enum Phase {
    /** {@code POST /v2/<model>}: an asynchronous submit (a paid job when it succeeds). */
    SUBMIT,
    /** {@code GET /v2/requests/<id>/status}: a status poll. */
    STATUS,
    /** {@code GET /v2/requests/<id>}: a result fetch. */
    RESULT,
    /** {@code POST /v1/<model>}: a synchronous run that answers image bytes. */
    V1,
    /** {@code GET /v1/get-user-credits}: the credit balance. */
    CREDITS,
    /** {@code POST /upload-asset}: an asset upload. */
    UPLOAD,
    /** {@code GET} of an output image or an uploaded asset: public URLs, fetched without a key. */
    MEDIA
}
