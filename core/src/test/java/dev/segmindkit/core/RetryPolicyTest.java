package dev.segmindkit.core;

import static dev.segmindkit.core.RetryPolicy.Operation.READ;
import static dev.segmindkit.core.RetryPolicy.Operation.SUBMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.internal.ErrorMapper;
import dev.segmindkit.core.internal.MalformedResponseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final RetryPolicy POLICY = RetryPolicy.defaults();

    private static SegmindException http(int status) {
        return ErrorMapper.map(status, Map.of(), new byte[0], "op", null, NOW);
    }

    private static SegmindException http(int status, String header, String value) {
        return ErrorMapper.map(status, Map.of(header, List.of(value)), new byte[0], "op", null, NOW);
    }

    static Stream<Arguments> table() {
        SegmindIOException connectFailed = new SegmindIOException("refused", false, null, null);
        SegmindIOException droppedAfterSend = new SegmindIOException("reset", true, null, null);
        return Stream.of(
                // failure, retried as a READ, retried as a SUBMIT
                Arguments.of("connect failure", connectFailed, true, true),
                Arguments.of("I/O after sending", droppedAfterSend, true, false),
                Arguments.of("malformed body", new MalformedResponseException("bad"), true, false),
                Arguments.of("429", http(429), true, true),
                Arguments.of("500", http(500), true, false),
                Arguments.of("502", http(502), true, false),
                Arguments.of("503", http(503), true, true),
                Arguments.of("504", http(504), true, false),
                Arguments.of("501", http(501), false, false),
                Arguments.of("400", http(400), false, false),
                Arguments.of("401", http(401), false, false),
                Arguments.of("403", http(403), false, false),
                Arguments.of("404", http(404), false, false),
                Arguments.of("406", http(406), false, false),
                Arguments.of("410", http(410), false, false),
                Arguments.of("422", http(422), false, false),
                Arguments.of("FAILED job", new InferenceFailedException("r", "boom", JobMetrics.empty()), false, false),
                Arguments.of("validation", new ValidationException("m", List.of(new ValidationException.Violation("f", "bad"))), false, false),
                Arguments.of("a bug", new IllegalStateException("bug"), false, false));
    }

    @ParameterizedTest(name = "{0}: read {2}, submit {3}")
    @MethodSource("table")
    void retriesReadsOnTransientFailuresButSubmitsOnlyWhereNoJobCanExist(String name, Throwable failure, boolean read, boolean submit) {
        assertThat(POLICY.isRetryable(READ, failure, NOW)).isEqualTo(read);
        assertThat(POLICY.isRetryable(SUBMIT, failure, NOW)).isEqualTo(submit);
    }

    @Test
    void backoffDoublesUpToTheCapWithoutJitterAtTheMidpoint() {
        Throwable f = http(503);
        assertThat(List.of(POLICY.delayBeforeRetry(1, f, NOW, 0.5), POLICY.delayBeforeRetry(2, f, NOW, 0.5),
                POLICY.delayBeforeRetry(3, f, NOW, 0.5), POLICY.delayBeforeRetry(7, f, NOW, 0.5), POLICY.delayBeforeRetry(30, f, NOW, 0.5)))
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(20),
                        Duration.ofSeconds(20));
    }

    @Test
    void jitterSpreadsWithinItsFraction() {
        Throwable f = http(503);
        assertThat(POLICY.delayBeforeRetry(3, f, NOW, 0.0)).isEqualTo(Duration.ofMillis(1600));
        assertThat(POLICY.delayBeforeRetry(3, f, NOW, 0.999_999)).isBetween(Duration.ofMillis(2399), Duration.ofMillis(2400));
        assertThat(POLICY.withJitter(0).delayBeforeRetry(3, f, NOW, 0.9)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aRateLimitResetLaterThanTheBackoffIsHonoured() {
        Throwable f = http(429, "x-rate-limit-reset-at-utc", "2026-11-21T10:00:07Z");
        assertThat(POLICY.delayBeforeRetry(1, f, NOW, 0.5)).isEqualTo(Duration.ofSeconds(7));
        Throwable retryAfter = http(429, "Retry-After", "9");
        assertThat(POLICY.delayBeforeRetry(1, retryAfter, NOW, 0.5)).isEqualTo(Duration.ofSeconds(9));
        Throwable past = http(429, "x-rate-limit-reset-at-utc", "2026-11-21T09:00:00Z");
        assertThat(POLICY.delayBeforeRetry(1, past, NOW, 0.5)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aServerAskingForMoreThanTheCapGetsItsErrorSurfaced() {
        Throwable f = http(429, "x-rate-limit-reset-at-utc", "2026-11-21T11:00:00Z");
        assertThat(POLICY.isRetryable(READ, f, NOW)).isFalse();
        assertThat(POLICY.withMaxServerDelay(Duration.ofHours(2)).isRetryable(READ, f, NOW)).isTrue();
        assertThat(POLICY.delayBeforeRetry(1, f, NOW, 0.5)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void noneNeverRetries() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }

    @Test
    void invalidValuesAreRefusedAtTheCall() {
        assertThatThrownBy(() -> POLICY.withMaxAttempts(0)).hasMessageContaining("maxAttempts must be >= 1");
        assertThatThrownBy(() -> POLICY.withJitter(1.1)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> POLICY.withMultiplier(0.9)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> POLICY.withInitialBackoff(Duration.ZERO)).hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> POLICY.withMaxBackoff(Duration.ofMillis(1))).hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> POLICY.withMaxServerDelay(Duration.ofSeconds(-1))).hasMessageContaining("maxServerDelay");
        assertThatThrownBy(() -> POLICY.delayBeforeRetry(0, http(503), NOW, 0.5)).hasMessageContaining("retry counts from 1");
        assertThatThrownBy(() -> POLICY.delayBeforeRetry(1, http(503), NOW, 1.0)).hasMessageContaining("random");
    }
}
