package dev.segmindkit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The service answered with an HTTP error status. Each status the SDK treats differently has its
 * own subtype (see the table in the README); this type is what they share: the status, the
 * service's {@code error} message, the response headers, and what they say about rate limits and
 * credits.
 *
 * <p>Instances are created by the SDK from a response; the mapping lives in one place and both
 * clients use it.
 */
public class SegmindApiException extends SegmindException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorMessage;
    private final transient Map<String, List<String>> headers;
    private final Instant rateLimitResetAt;
    private final Duration retryAfter;
    private final Double remainingCredits;

    protected SegmindApiException(Details details) {
        super(details.describe(), details.requestId, null);
        this.status = details.status;
        this.errorMessage = details.errorMessage;
        this.headers = details.headers;
        this.rateLimitResetAt = details.rateLimitResetAt;
        this.retryAfter = details.retryAfter;
        this.remainingCredits = details.remainingCredits;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The service's own message (the body's {@code error}), or a short excerpt of a non-JSON body. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The response headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers == null ? Map.of() : headers;
    }

    /** When the rate limit resets, from {@code x-rate-limit-reset-at-utc}. */
    public Optional<Instant> rateLimitResetAt() {
        return Optional.ofNullable(rateLimitResetAt);
    }

    /** How long the service asked to wait, from {@code Retry-After}. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * How long the service asked the client to wait from {@code now}: the later of the rate-limit
     * reset and {@code Retry-After}, zero for a reset already past, empty when it sent neither.
     */
    public Optional<Duration> requestedWait(Instant now) {
        Optional<Duration> untilReset = rateLimitResetAt().map(at -> {
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        });
        if (untilReset.isPresent() && retryAfter != null) {
            return Optional.of(untilReset.get().compareTo(retryAfter) > 0 ? untilReset.get() : retryAfter);
        }
        return untilReset.isPresent() ? untilReset : retryAfter();
    }

    /** Credits left on the account, from {@code x-remaining-credits}. */
    public OptionalDouble remainingCredits() {
        return remainingCredits == null ? OptionalDouble.empty() : OptionalDouble.of(remainingCredits);
    }

    /** Everything an API error carries; built by the SDK's error mapping. */
    public static final class Details {
        final int status;
        final String errorMessage;
        final Map<String, List<String>> headers;
        final String requestId;
        final String operation;
        final Instant rateLimitResetAt;
        final Duration retryAfter;
        final Double remainingCredits;

        public Details(int status, String errorMessage, Map<String, List<String>> headers, String requestId,
                String operation, Instant rateLimitResetAt, Duration retryAfter, Double remainingCredits) {
            this.status = status;
            this.errorMessage = errorMessage;
            this.headers = Map.copyOf(headers);
            this.requestId = requestId;
            this.operation = operation;
            this.rateLimitResetAt = rateLimitResetAt;
            this.retryAfter = retryAfter;
            this.remainingCredits = remainingCredits;
        }

        String describe() {
            StringBuilder s = new StringBuilder("HTTP ").append(status);
            if (operation != null) {
                s.append(" from ").append(operation);
            }
            s.append(": ").append(errorMessage);
            if (requestId != null) {
                s.append(" (request ").append(requestId).append(')');
            }
            return s.toString();
        }
    }
}
