package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorMapperTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final String OP = "POST /v2/style-transfer";

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(400, "{\"error\":\"style_image is required\"}", BadRequestException.class, "style_image is required"),
                Arguments.of(401, "{\"error\":\"Missing Authorization or x-api-key in header\"}", AuthenticationException.class,
                        "Missing Authorization or x-api-key in header"),
                Arguments.of(401, "{\"error\":\"Unauthorized. API key is invalid or may have expired\"}", AuthenticationException.class,
                        "Unauthorized. API key is invalid or may have expired"),
                Arguments.of(403, "{\"error\":\"Model not allowed\"}", PermissionDeniedException.class, "Model not allowed"),
                Arguments.of(404, "{\"error\":\"Request abc not found\"}", NotFoundException.class, "Request abc not found"),
                Arguments.of(405, "<html><head><title>405 Method Not Allowed</title></head><body><h1>Method Not Allowed</h1></body></html>",
                        UnexpectedStatusException.class, "405 Method Not Allowed"),
                Arguments.of(406, "{\"error\":\"Insufficient credits\"}", InsufficientCreditsException.class, "Insufficient credits"),
                Arguments.of(410, "{\"error\":\"Model retired\"}", ModelRetiredException.class, "Model retired"),
                Arguments.of(422, "{\"error\":\"bad entity\"}", UnprocessableEntityException.class, "bad entity"),
                Arguments.of(429, "{\"error\":\"Too many requests\"}", RateLimitException.class, "Too many requests"),
                Arguments.of(500, "{\"error\":\"Internal error\"}", ServerException.class, "Internal error"),
                Arguments.of(502, "", ServerException.class, "Bad Gateway"),
                Arguments.of(503, "upstream connect error", ServerException.class, "upstream connect error"),
                Arguments.of(504, "{}", ServerException.class, "Gateway Timeout"),
                Arguments.of(501, "{\"message\":\"not implemented\"}", ServerException.class, "not implemented"),
                Arguments.of(418, "{\"detail\":\"teapot\"}", UnexpectedStatusException.class, "teapot"),
                Arguments.of(409, "[1,2,3]", UnexpectedStatusException.class, "[1,2,3]"),
                Arguments.of(400, "{\"error\":{\"code\":7}}", BadRequestException.class, "{\"code\":7}"),
                Arguments.of(500, "\u0000\u0001garbage{", ServerException.class, "\u0000\u0001garbage{"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("statuses")
    void eachStatusMapsToItsTypeWithTheServersMessage(int status, String body, Class<? extends SegmindApiException> type, String message) {
        SegmindException e = ErrorMapper.map(status, Map.of("x-request-id", List.of("rid-1")), body.getBytes(StandardCharsets.UTF_8), OP, null, NOW);
        assertThat(e).isExactlyInstanceOf(type);
        SegmindApiException api = (SegmindApiException) e;
        assertThat(api.status()).isEqualTo(status);
        assertThat(api.errorMessage()).isEqualTo(message);
        assertThat(api.requestId()).contains("rid-1");
        assertThat(api.getMessage()).isEqualTo("HTTP " + status + " from " + OP + ": " + message + " (request rid-1)");
    }

    @Test
    void a422WhoseBodySaysFailedIsAJobOutcome() {
        byte[] body = "{\"status\":\"FAILED\",\"error\":\"CUDA out of memory\",\"metrics\":{\"total_time\":3.5}}".getBytes(StandardCharsets.UTF_8);
        SegmindException e = ErrorMapper.map(422, Map.of(), body, "GET /v2/requests/r-9", "r-9", NOW);
        assertThat(e).isInstanceOf(InferenceFailedException.class);
        InferenceFailedException failed = (InferenceFailedException) e;
        assertThat(failed.requestId()).contains("r-9");
        assertThat(failed.error()).isEqualTo("CUDA out of memory");
        assertThat(failed.metrics().totalTime()).contains(Duration.ofMillis(3500));
        assertThat(failed.getMessage()).isEqualTo("job r-9 FAILED: CUDA out of memory");
    }

    @Test
    void aFailedBodyWithoutAnErrorStillNamesTheJob() {
        SegmindException e = ErrorMapper.map(422, Map.of(), "{\"status\":\"failed\",\"request_id\":\"r-2\"}".getBytes(StandardCharsets.UTF_8),
                "GET", null, NOW);
        assertThat(((InferenceFailedException) e).error()).isEqualTo("the service gave no reason");
        assertThat(e.requestId()).contains("r-2");
    }

    @Test
    void rateLimitHeadersAreRead() {
        Map<String, List<String>> headers = Map.of("X-Rate-Limit-Reset-At-UTC", List.of("2026-11-21T10:00:30Z"), "Retry-After",
                List.of("12"), "x-remaining-credits", List.of("3.5"));
        RateLimitException e = (RateLimitException) ErrorMapper.map(429, headers, new byte[0], OP, null, NOW);
        assertThat(e.rateLimitResetAt()).contains(Instant.parse("2026-11-21T10:00:30Z"));
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
        assertThat(e.remainingCredits()).hasValue(3.5);
        assertThat(e.headers()).containsKey("x-rate-limit-reset-at-utc");
        assertThat(e.errorMessage()).isEqualTo("Too Many Requests");
        assertThat(e.requestId()).isEmpty();
    }

    @Test
    void resetTimesAreReadInEveryShapeSeen() {
        for (String shape : List.of("2026-11-21T10:00:30Z", "2026-11-21T10:00:30", "2026-11-21 10:00:30", "2026-11-21T11:00:30+01:00",
                "1795255230")) {
            RateLimitException e = (RateLimitException) ErrorMapper.map(429, Map.of("x-rate-limit-reset-at-utc", List.of(shape)),
                    new byte[0], OP, null, NOW);
            assertThat(e.rateLimitResetAt()).as(shape).contains(Instant.parse("2026-11-21T10:00:30Z"));
        }
        RateLimitException unreadable = (RateLimitException) ErrorMapper.map(429,
                Map.of("x-rate-limit-reset-at-utc", List.of("soon")), new byte[0], OP, null, NOW);
        assertThat(unreadable.rateLimitResetAt()).isEmpty();
    }

    @Test
    void retryAfterAsAnHttpDateIsRelativeToNow() {
        RateLimitException e = (RateLimitException) ErrorMapper.map(429, Map.of("Retry-After", List.of("Sat, 21 Nov 2026 10:01:00 GMT")),
                new byte[0], OP, null, NOW);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
    }

    @Test
    void hugeBodiesAreCutShort() {
        String big = "x".repeat(10_000);
        SegmindApiException e = (SegmindApiException) ErrorMapper.map(500, Map.of(), ("{\"error\":\"" + big + "\"}").getBytes(StandardCharsets.UTF_8),
                OP, null, NOW);
        assertThat(e.errorMessage()).hasSize(303).endsWith("...");
    }

    @Test
    void theCallersRequestIdWinsOverTheBodysAndTheHeaders() {
        SegmindException e = ErrorMapper.map(404, Map.of("x-request-id", List.of("from-header")),
                "{\"error\":\"gone\",\"request_id\":\"from-body\"}".getBytes(StandardCharsets.UTF_8), OP, "from-caller", NOW);
        assertThat(e.requestId()).contains("from-caller");
        assertThat(ErrorMapper.map(404, Map.of("x-request-id", List.of("from-header")),
                "{\"error\":\"gone\",\"request_id\":\"from-body\"}".getBytes(StandardCharsets.UTF_8), OP, null, NOW).requestId())
                .contains("from-body");
    }

    @Test
    void aKeyEchoedByTheServerIsMaskedInTheMessageTheErrorAndTheHeaders() {
        String key = "SG_0123456789abcdef";
        byte[] body = ("{\"error\": \"Unauthorized. API key " + key + " is invalid\"}").getBytes(StandardCharsets.UTF_8);
        SegmindException e = ErrorMapper.map(401, Map.of("x-echo", List.of("key=" + key)), body, "GET /v1/get-user-credits", null,
                Instant.EPOCH, key);
        assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageNotContaining(key).hasMessageContaining("API key **** is invalid");
        assertThat(((SegmindApiException) e).errorMessage()).isEqualTo("Unauthorized. API key **** is invalid");
        assertThat(((SegmindApiException) e).headers().get("x-echo")).containsExactly("key=****");

        byte[] failed = ("{\"status\": \"FAILED\", \"error\": \"bad input from " + key + "\"}").getBytes(StandardCharsets.UTF_8);
        SegmindException f = ErrorMapper.map(422, Map.of(), failed, "GET /v2/requests/r1/status", "r1", Instant.EPOCH, key);
        assertThat(((InferenceFailedException) f).error()).isEqualTo("bad input from ****");
        assertThat(f).hasMessageNotContaining(key);
    }
}
