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
    void defaultsStayQuietForMostOfAModelsTypicalDuration() {
        List<Duration> times = pollTimes(PollingPolicy.defaults(), Duration.ofSeconds(17), Optional.of(Duration.ofSeconds(17)));
        assertThat(times.get(0)).isEqualTo(Duration.ofMillis(10_200));
        assertThat(times).hasSize(7);
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
        assertThatThrownBy(() -> p.withQuietFraction(1.5)).hasMessageContaining("quietFraction");
        assertThatThrownBy(() -> PollingPolicy.fixed(Duration.ZERO)).hasMessageContaining("interval");
        assertThatThrownBy(() -> p.delayBeforePoll(-1, Duration.ZERO, UNKNOWN)).hasMessageContaining("pollsDone");
    }
}
