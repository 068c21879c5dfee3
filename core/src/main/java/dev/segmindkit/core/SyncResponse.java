package dev.segmindkit.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a synchronous ({@code POST /v1}) call answered besides the image bytes: the content type
 * and the figures the service sends as headers ({@code x-cost}, {@code x-remaining-credits},
 * {@code x-request-id}, {@code x-generation-time}, {@code x-seed-value}). Every figure is optional:
 * a header that is absent or unreadable is simply empty.
 */
public final class SyncResponse {
    private final String contentType;
    private final long bytes;
    private final Double cost;
    private final Double remainingCredits;
    private final String requestId;
    private final Double generationSeconds;
    private final Long seed;

    public SyncResponse(String contentType, long bytes, Double cost, Double remainingCredits, String requestId,
            Double generationSeconds, Long seed) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.bytes = bytes;
        this.cost = cost;
        this.remainingCredits = remainingCredits;
        this.requestId = requestId;
        this.generationSeconds = generationSeconds;
        this.seed = seed;
    }

    /** The body's MIME type, such as {@code image/jpeg}. */
    public String contentType() {
        return contentType;
    }

    /** How many body bytes were received. */
    public long size() {
        return bytes;
    }

    public OptionalDouble cost() {
        return cost == null ? OptionalDouble.empty() : OptionalDouble.of(cost);
    }

    public OptionalDouble remainingCredits() {
        return remainingCredits == null ? OptionalDouble.empty() : OptionalDouble.of(remainingCredits);
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** How long the model took. */
    public Optional<Duration> generationTime() {
        return generationSeconds == null || generationSeconds < 0 || generationSeconds.isNaN() || generationSeconds.isInfinite()
                ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(generationSeconds * 1e9)));
    }

    /** The seed the model used, to reproduce the image. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    @Override
    public String toString() {
        return "SyncResponse{" + contentType + ", " + bytes + " bytes" + (requestId == null ? "" : ", request " + requestId)
                + (cost == null ? "" : ", cost " + cost) + (remainingCredits == null ? "" : ", remaining " + remainingCredits)
                + (generationSeconds == null ? "" : ", " + generationSeconds + " s") + (seed == null ? "" : ", seed " + seed) + '}';
    }
}
