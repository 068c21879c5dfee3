package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.segmindkit.core.AuthenticationException;
import dev.segmindkit.core.BadRequestException;
import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InsufficientCreditsException;
import dev.segmindkit.core.ModelRetiredException;
import dev.segmindkit.core.NotFoundException;
import dev.segmindkit.core.PermissionDeniedException;
import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.ServerException;
import dev.segmindkit.core.UnexpectedStatusException;
import dev.segmindkit.core.UnprocessableEntityException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link ErrorMapper} on any status, any headers and any body bytes: it never throws, it returns
 * the exception type the status table says (or {@link InferenceFailedException} for a 422 FAILED),
 * carrying the given status, a short non-blank message and lower-case header names; what the
 * headers say about waiting ({@code Retry-After}, {@code x-rate-limit-reset-at-utc}) reads as a
 * non-negative wait, and the client's {@link RateLimitGate} stays within its cap. See
 * core/FUZZING.md.
 */
class ErrorMapperFuzzTest {
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);
    /** Any instant a real clock may show: 1970 to 9999. */
    private static final long LATEST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    static {
        // Jazzer instruments a class when it loads; loading them here, before the fuzzer's clock
        // starts, leaves the short run in the build its few seconds for actual fuzzing.
        for (int status : new int[] {400, 401, 403, 404, 406, 410, 422, 429, 500, 302}) {
            ErrorMapper.map(status, Map.of("Retry-After", List.of("1"), "x-rate-limit-reset-at-utc", List.of("2026-11-21 10:00:00")),
                    "{\"status\":\"FAILED\",\"error\":\"x\",\"metrics\":{}}".getBytes(StandardCharsets.UTF_8), "GET /", null,
                    Instant.EPOCH);
            ErrorMapper.map(status, Map.of(), "<html><title>x</title></html>".getBytes(StandardCharsets.UTF_8), null, null, Instant.EPOCH);
        }
    }

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"\"error\"", "\"message\"", "\"detail\"", "\"status\"", "\"FAILED\"", "\"request_id\"", "\"metrics\"",
            "<html>", "<title>", "</title>", "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT", "2026-11-21T10:00:00Z",
            "2026-11-21 10:00:00", "1e308", "NaN", "Infinity", "-1"})
    void everyErrorAnswerMapsToItsTypedException(FuzzedDataProvider data) {
        int status = data.consumeBoolean() ? data.consumeInt(100, 599) : data.consumeInt();
        Instant now = Instant.ofEpochSecond(data.consumeLong(0, LATEST_SECOND), data.consumeInt(0, 999_999_999));
        String requestId = data.consumeBoolean() ? null : data.consumeString(40);
        Map<String, List<String>> headers = FuzzHeaders.consume(data);
        byte[] body = data.consumeRemainingAsBytes();

        SegmindException mapped = ErrorMapper.map(status, headers, body, "GET /v2/requests/{id}/status", requestId, now);

        assertThat(mapped).isNotNull();
        assertThat(mapped.getMessage()).isNotBlank();
        if (mapped instanceof InferenceFailedException) {
            assertThat(status).isEqualTo(422);
            assertThat(((InferenceFailedException) mapped).error()).isNotBlank();
            return;
        }
        assertThat(mapped).isInstanceOf(expectedType(status));
        SegmindApiException api = (SegmindApiException) mapped;
        assertThat(api.status()).isEqualTo(status);
        assertThat(api.errorMessage()).isNotBlank().hasSizeLessThanOrEqualTo(303);
        assertThat(api.getMessage()).contains("HTTP " + status);
        if (requestId != null) {
            assertThat(api.requestId()).contains(requestId);
        }
        api.headers().keySet().forEach(name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)));
        api.retryAfter().ifPresent(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));
        api.requestedWait(now).ifPresent(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));

        if (api instanceof RateLimitException) {
            RateLimitGate gate = new RateLimitGate(MAX_WAIT);
            gate.note((RateLimitException) api, now);
            assertThat(gate.waitFrom(now)).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(MAX_WAIT);
        }
    }

    private static Class<? extends SegmindApiException> expectedType(int status) {
        switch (status) {
            case 400: return BadRequestException.class;
            case 401: return AuthenticationException.class;
            case 403: return PermissionDeniedException.class;
            case 404: return NotFoundException.class;
            case 406: return InsufficientCreditsException.class;
            case 410: return ModelRetiredException.class;
            case 422: return UnprocessableEntityException.class;
            case 429: return RateLimitException.class;
            default: return status >= 500 && status <= 599 ? ServerException.class : UnexpectedStatusException.class;
        }
    }
}
