package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.core.RateLimitException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitGateTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private static RateLimitException limited(Map<String, List<String>> headers) {
        return (RateLimitException) ErrorMapper.map(429, headers, new byte[0], "op", null, NOW);
    }

    @Test
    void staysOpenUntilA429AndThenHoldsUntilItsReset() {
        RateLimitGate gate = new RateLimitGate(Duration.ofSeconds(60));
        assertThat(gate.waitFrom(NOW)).isZero();
        gate.note(limited(Map.of("x-rate-limit-reset-at-utc", List.of("2026-11-21T10:00:07Z"))), NOW);
        assertThat(gate.waitFrom(NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(gate.waitFrom(NOW.plusSeconds(5))).isEqualTo(Duration.ofSeconds(2));
        assertThat(gate.waitFrom(NOW.plusSeconds(9))).isZero();
    }

    @Test
    void honoursTheLaterOfResetAndRetryAfterUpToTheCap() {
        RateLimitGate gate = new RateLimitGate(Duration.ofSeconds(60));
        gate.note(limited(Map.of("x-rate-limit-reset-at-utc", List.of("2026-11-21T10:00:03Z"), "Retry-After", List.of("9"))), NOW);
        assertThat(gate.waitFrom(NOW)).isEqualTo(Duration.ofSeconds(9));
        gate.note(limited(Map.of("Retry-After", List.of("3600"))), NOW);
        assertThat(gate.waitFrom(NOW)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void anEarlierResetNeverReopensAGateClosedForLonger() {
        RateLimitGate gate = new RateLimitGate(Duration.ofSeconds(60));
        gate.note(limited(Map.of("Retry-After", List.of("20"))), NOW);
        gate.note(limited(Map.of("Retry-After", List.of("2"))), NOW);
        gate.note(limited(Map.of()), NOW);
        assertThat(gate.waitFrom(NOW)).isEqualTo(Duration.ofSeconds(20));
    }
}
