package dev.segmindkit.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.tck.FaultSoak;
import dev.segmindkit.tck.SoakFault;
import dev.segmindkit.tck.SoakReport;
import dev.segmindkit.testkit.FakeSegmindServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault soak against the reactive client: 2,000 jobs (or {@code -Dsegmindkit.soak.jobs}), one
 * in ten with a fault in some phase, run by 16 threads at once, each group of jobs on its own
 * tenant and virtual clock. The figures go to this class's test output.
 */
class ReactiveFaultSoakTest {
    private static FakeSegmindServer server;

    @BeforeAll
    static void startServer() {
        server = FakeSegmindServer.builder().model("flux-schnell").start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void thousandsOfJobsUnderInjectedFaultsLoseNoJobPayNoSubmitTwiceAndKeepTheirDeadlines() {
        SoakReport report = FaultSoak.fromSystemProperties().run("the reactive client", server, new ReactiveClients()::newClient);
        report.assertPromisesKept();
        assertThat(report.outcomes().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(report.jobs());
        report.assertEveryFaultInjected();
    }

    /** Regression: a result unreadable on every attempt ended the job with an error that carried no request id. */
    @Test
    void aResultUnreadableOnEveryAttemptEndsInAnErrorCarryingTheRequestId() {
        SoakReport report = FaultSoak.of(24, 1L).faultRate(1.0).only(SoakFault.RESULT_MALFORMED_EVERY_ATTEMPT)
                .run("the reactive client", server, new ReactiveClients()::newClient);
        report.assertPromisesKept();
        assertThat(report.outcomes()).containsOnlyKeys("MalformedResponseException");
    }

    /** Regression: a 429 whose reset lay past the deadline held the next poll for the reset and sent it after the deadline. */
    @Test
    void aRateLimitResetPastTheDeadlineHoldsNoPollPastIt() {
        SoakReport report = FaultSoak.of(24, 2L).faultRate(1.0).only(SoakFault.STATUS_429_NEAR_DEADLINE)
                .run("the reactive client", server, new ReactiveClients()::newClient);
        report.assertPromisesKept();
        assertThat(report.outcomes()).containsOnlyKeys("InferenceTimeoutException");
    }
}
