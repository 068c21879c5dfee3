package dev.segmindkit.core;

import java.util.Objects;

/** The answer of a synchronous ({@code POST /v1}) call held in memory: the bytes and the headers' figures. */
public final class SyncImage {
    private final byte[] bytes;
    private final SyncResponse response;

    public SyncImage(byte[] bytes, SyncResponse response) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.response = Objects.requireNonNull(response, "response");
    }

    /** The image bytes. The array is the caller's to keep; it is not copied. */
    public byte[] bytes() {
        return bytes;
    }

    public SyncResponse response() {
        return response;
    }

    @Override
    public String toString() {
        return "SyncImage{" + response + '}';
    }
}
