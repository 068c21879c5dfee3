package dev.segmindkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollingPolicyTest {
    private static final Optional<Duration> UNKNOWN = Optional.empty();

    /** The instants (since waiting began) at which a policy polls, up to {@code horizon}. */
    private static List<Duration> pollTimes(PollingPolicy policy, Duration horizon, Optional<Duration> typical) {
        List<Duration> times = new ArrayList<>();
        Duration t = Duration.ZERO;
        for (int polls = 0; ; polls++) {
            t = t.plus(policy.delayBeforePoll(polls, t, typical));
            if (t.compareTo(horizon) > 0) {
                return times;
            }
            times.add(t);
        }
    }

    @Test
    void defaultsWaitTenMinutesAndPollEverySecondAfterTheFirstSecond() {
        PollingPolicy p = PollingPolicy.defaults();
        assertThat(p.deadline()).isEqualTo(Duration.ofSeconds(600));
        assertThat(p.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pollTimes(p, Duration.ofSeconds(5), UNKNOWN)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5));
    }

    @Test
    void defaultsPollAModelWithATypicalDurationSparselyFirstThenEvery550Milliseconds() {
        Duration typical = Duration.ofSeconds(17);
        List<Duration> times = pollTimes(PollingPolicy.defaults(), Duration.ofSeconds(60), Optional.of(typical));
        assertThat(times.get(0)).isEqualTo(Duration.ofMillis(4250)); // a quarter of the typical duration
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i).minus(times.get(i - 1)));
        }
        assertThat(gaps).allSatisfy(gap -> assertThat(gap).isBetween(Duration.ofMillis(550), Duration.ofMillis(4250)));
        for (int i = 1; i < gaps.size(); i++) {
            assertThat(gaps.get(i)).as("gap %d after %s", i, times.get(i)).isLessThanOrEqualTo(gaps.get(i - 1));
        }
        // Few polls while the job can hardly be done; from 3 spreads past the typical duration, the densest spacing.
        assertThat(times.stream().filter(t -> t.compareTo(Duration.ofSeconds(10)) < 0)).hasSizeLessThanOrEqualTo(3);
        assertThat(times.stream().filter(t -> t.compareTo(typical) < 0)).hasSizeLessThan(10);
        assertThat(gaps.get(gaps.size() - 1)).isEqualTo(Duration.ofMillis(550));
        assertThat(PollingPolicy.defaults().delayBeforePoll(30, Duration.ofSeconds(40), Optional.of(typical)))
                .isEqualTo(Duration.ofMillis(550));
    }

    @Test
    void theShapeScalesWithTheTypicalDuration() {
        PollingPolicy p = PollingPolicy.defaults();
        Duration shortJob = p.delayBeforePoll(3, Duration.ofSeconds(16), Optional.of(Duration.ofSeconds(20)));
        Duration longJob = p.delayBeforePoll(3, Duration.ofSeconds(160), Optional.of(Duration.ofSeconds(200)));
        // 80% of the typical duration in both: the same hazard relative to its peak, the same widening.
        assertThat(longJob).isCloseTo(shortJob, Duration.ofNanos(10)).isGreaterThan(Duration.ofMillis(550));
    }

    @Test
    void aZeroSpreadIgnoresTypicalDurations() {
        PollingPolicy p = PollingPolicy.defaults().withDurationSpread(0.0);
        assertThat(p.durationSpread()).isZero();
        assertThat(pollTimes(p, Duration.ofSeconds(3), Optional.of(Duration.ofSeconds(17)))).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void theComplementaryErrorFunctionIsAccurate() {
        assertThat(DurationShape.erfc(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(2e-7));
        assertThat(DurationShape.erfc(1)).isCloseTo(0.157299207, org.assertj.core.data.Offset.offset(2e-7));
        assertThat(DurationShape.erfc(2)).isCloseTo(0.004677735, org.assertj.core.data.Offset.offset(2e-7));
        assertThat(DurationShape.erfc(-1)).isCloseTo(1.842700793, org.assertj.core.data.Offset.offset(2e-7));
        assertThat(DurationShape.survival(3)).isCloseTo(0.001349898, org.assertj.core.data.Offset.offset(2e-7));
    }

    @Test
    void fixedMatchesTheOfficialSdkFirstPollAtOnceThenEveryInterval() {
        PollingPolicy p = PollingPolicy.fixed(Duration.ofSeconds(1));
        assertThat(pollTimes(p, Duration.ofSeconds(3), Optional.of(Duration.ofSeconds(100)))).containsExactly(Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
        assertThat(p.deadline()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheCap() {
        PollingPolicy p = PollingPolicy.backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5));
        assertThat(List.of(p.delayBeforePoll(0, Duration.ZERO, UNKNOWN), p.delayBeforePoll(1, Duration.ZERO, UNKNOWN),
                p.delayBeforePoll(2, Duration.ZERO, UNKNOWN), p.delayBeforePoll(3, Duration.ZERO, UNKNOWN),
                p.delayBeforePoll(4, Duration.ZERO, UNKNOWN), p.delayBeforePoll(40, Duration.ZERO, UNKNOWN)))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                        Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void theFirstPollDelayCountsFromWhenWaitingBegan() {
        PollingPolicy p = PollingPolicy.defaults().withFirstPollDelay(Duration.ofSeconds(5));
        assertThat(p.delayBeforePoll(0, Duration.ofSeconds(2), UNKNOWN)).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.delayBeforePoll(0, Duration.ofSeconds(9), UNKNOWN)).isEqualTo(Duration.ZERO);
    }

    @Test
    void copiesAreIndependent() {
        PollingPolicy base = PollingPolicy.defaults();
        PollingPolicy changed = base.withDeadline(Duration.ofMinutes(2)).withRequestTimeout(Duration.ofSeconds(5));
        assertThat(base.deadline()).isEqualTo(Duration.ofSeconds(600));
        assertThat(changed.deadline()).isEqualTo(Duration.ofMinutes(2));
        assertThat(changed.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(changed).isNotEqualTo(base);
        assertThat(base.withDeadline(Duration.ofSeconds(600))).isEqualTo(base).hasSameHashCodeAs(base);
        assertThat(base.withDurationSpread(0.5)).isNotEqualTo(base);
        assertThat(base.withDurationSpread(0.5).withDurationSpread(0.25)).isEqualTo(base);
    }

    @Test
    void withIntervalRaisesTheCapWhenNeeded() {
        PollingPolicy p = PollingPolicy.defaults().withInterval(Duration.ofSeconds(3));
        assertThat(p.maxInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void invalidValuesAreRefusedAtTheCall() {
        PollingPolicy p = PollingPolicy.defaults();
        assertThatThrownBy(() -> p.withDeadline(Duration.ZERO)).hasMessageContaining("deadline must be positive");
        assertThatThrownBy(() -> p.withRequestTimeout(Duration.ofSeconds(-1))).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> p.withFirstPollDelay(Duration.ofMillis(-1))).hasMessageContaining("firstPollDelay");
        assertThatThrownBy(() -> p.withInterval(Duration.ZERO)).hasMessageContaining("interval");
        assertThatThrownBy(() -> p.withMultiplier(0.5)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> p.withMultiplier(Double.NaN)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> p.withMaxInterval(Duration.ofMillis(10))).hasMessageContaining("maxInterval must be >= interval");
        assertThatThrownBy(() -> p.withDurationSpread(2.5)).hasMessageContaining("durationSpread must be between 0.0 and 2.0");
        assertThatThrownBy(() -> p.withDurationSpread(Double.NaN)).hasMessageContaining("durationSpread");
        assertThatThrownBy(() -> p.withDensestInterval(Duration.ZERO)).hasMessageContaining("densestInterval");
        assertThatThrownBy(() -> PollingPolicy.fixed(Duration.ZERO)).hasMessageContaining("interval");
        assertThatThrownBy(() -> p.delayBeforePoll(-1, Duration.ZERO, UNKNOWN)).hasMessageContaining("pollsDone");
    }
}
