package dev.segmindkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small public value types: status, handle, metrics, result, exceptions. */
class ValuesTest {

    @Test
    void knownStatusesAreCanonicalAndOnlyCompletedAndFailedAreTerminal() {
        assertThat(JobStatus.of("queued")).isSameAs(JobStatus.QUEUED);
        assertThat(JobStatus.of(" PROCESSING ")).isSameAs(JobStatus.PROCESSING);
        assertThat(JobStatus.of("Completed").isTerminal()).isTrue();
        assertThat(JobStatus.of("FAILED").isTerminal()).isTrue();
        assertThat(JobStatus.QUEUED.isTerminal()).isFalse();
        assertThat(JobStatus.PROCESSING.isTerminal()).isFalse();
    }

    @Test
    void unknownStatusesKeepTheirNameAndAreNotTerminal() {
        JobStatus cancelled = JobStatus.of("cancelled");
        assertThat(cancelled.value()).isEqualTo("CANCELLED");
        assertThat(cancelled.isTerminal()).isFalse();
        assertThat(cancelled.isKnown()).isFalse();
        assertThat(cancelled).isEqualTo(JobStatus.of("CANCELLED")).hasSameHashCodeAs(JobStatus.of("CANCELLED"));
        assertThatThrownBy(() -> JobStatus.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobStatus.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHandleCanBeRecreatedFromTheIdAlone() {
        Instant at = Instant.parse("2026-11-21T10:00:00Z");
        JobHandle submitted = JobHandle.of("5d2c4a5e-2f1b-4c9a-9a77-0c1f0b3f6e21", "style-transfer", at);
        JobHandle resumed = JobHandle.of(submitted.requestId());
        assertThat(resumed.requestId()).isEqualTo(submitted.requestId());
        assertThat(resumed.model()).isEmpty();
        assertThat(resumed.submittedAt()).isEmpty();
        assertThat(submitted.model()).contains("style-transfer");
        assertThat(submitted.submittedAt()).contains(at);
    }

    @Test
    void requestIdsThatCouldEscapeTheUrlPathAreRefused() {
        for (String bad : List.of("", " ", "../credits", "a/b", "a b", "id?x=1", "id#f", "%2e%2e")) {
            assertThatThrownBy(() -> JobHandle.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> JobHandle.of(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("required");
    }

    @Test
    void metricsIgnoreNonsenseFigures() {
        JobMetrics m = JobMetrics.of(-1.0, Double.NaN, 2.5, null, 10.0, 3);
        assertThat(m.inferenceTime()).isEmpty();
        assertThat(m.queueTime()).isEmpty();
        assertThat(m.totalTime()).contains(Duration.ofMillis(2500));
        assertThat(m.cost()).isEmpty();
        assertThat(m.remainingCredits()).hasValue(10.0);
        assertThat(m.retryCount()).hasValue(3);
        assertThat(m.toString()).isEqualTo("JobMetrics{inference_time=-1.0, queue_time=NaN, total_time=2.5, remaining_credits=10.0, retry_count=3}");
        assertThat(JobMetrics.empty().toString()).isEqualTo("JobMetrics{}");
    }

    @Test
    void resultToStringShortensInlineImages() {
        String inline = "data:image/png;base64," + "A".repeat(5000);
        InferenceResult r = new InferenceResult("r1", JobStatus.COMPLETED, List.of(inline), JobMetrics.empty(), "{}");
        assertThat(r.toString()).hasSizeLessThan(400).contains("(5022 chars)");
        assertThat(r.outputs()).containsExactly(inline);
    }

    @Test
    void jobOutcomeExceptionsCarryWhatIsNeededToResume() {
        InferenceTimeoutException timeout = new InferenceTimeoutException("r1", JobStatus.PROCESSING, Duration.ofMinutes(10));
        assertThat(timeout.requestId()).contains("r1");
        assertThat(timeout.lastStatus()).isEqualTo(JobStatus.PROCESSING);
        assertThat(timeout.getMessage()).contains("r1").contains("PROCESSING").contains("resume");

        SubmitOutcomeUnknownException lost = new SubmitOutcomeUnknownException("style-transfer", new java.io.IOException("reset"));
        assertThat(lost.model()).isEqualTo("style-transfer");
        assertThat(lost.requestId()).isEmpty();
        assertThat(lost.getMessage()).contains("not re-sent").contains("IOException: reset");

        WaitInterruptedException interrupted = new WaitInterruptedException("r2", new InterruptedException());
        assertThat(interrupted.requestId()).contains("r2");
        assertThatThrownBy(() -> new ValidationException("m", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemTimeNeverGoesBackwardsAndZeroSleepsReturnAtOnce() throws Exception {
        TimeSource time = TimeSource.system();
        Instant a = time.now();
        time.sleep(Duration.ZERO);
        time.sleep(Duration.ofSeconds(-5));
        assertThat(time.now()).isAfterOrEqualTo(a);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> time.sleep(Duration.ZERO)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }
}
