package dev.segmindkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.tck.ClientAdapter;
import dev.segmindkit.tck.FaultSoak;
import dev.segmindkit.tck.SoakFault;
import dev.segmindkit.tck.SoakReport;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault soak against the blocking client: 2,000 jobs (or {@code -Dsegmindkit.soak.jobs}), one
 * in ten with a fault in some phase, run by 16 threads at once, each group of jobs on its own
 * tenant and virtual clock. The figures go to this class's test output.
 */
class SyncFaultSoakTest {
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
        SoakReport report = FaultSoak.fromSystemProperties().run("the blocking client", server, new SyncClients()::newClient);
        report.assertPromisesKept();
        assertThat(report.outcomes().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(report.jobs());
        report.assertEveryFaultInjected();
    }

    /** Regression: a result unreadable on every attempt ended the job with an error that carried no request id. */
    @Test
    void aResultUnreadableOnEveryAttemptEndsInAnErrorCarryingTheRequestId() {
        SoakReport report = FaultSoak.of(24, 1L).faultRate(1.0).only(SoakFault.RESULT_MALFORMED_EVERY_ATTEMPT)
                .run("the blocking client", server, new SyncClients()::newClient);
        report.assertPromisesKept();
        assertThat(report.outcomes()).containsOnlyKeys("MalformedResponseException");
    }

    /** Regression: a 429 whose reset lay past the deadline held the next poll for the reset and sent it after the deadline. */
    @Test
    void aRateLimitResetPastTheDeadlineHoldsNoPollPastIt() {
        SoakReport report = FaultSoak.of(24, 2L).faultRate(1.0).only(SoakFault.STATUS_429_NEAR_DEADLINE)
                .run("the blocking client", server, new SyncClients()::newClient);
        report.assertPromisesKept();
        assertThat(report.outcomes()).containsOnlyKeys("InferenceTimeoutException");
    }

    /**
     * The soak's own test: a careless wrapper around the client that re-sends a lost submit, turns
     * a FAILED job into an untyped error, polls once more after a job completed and after its
     * deadline must have each of these caught, with the seed to replay.
     */
    @Test
    void theSoakCatchesAClientThatPaysTwiceLosesTheIdAndPollsAfterTheEndOrTheDeadline() {
        SoakReport report = FaultSoak.of(40, 3L).faultRate(1.0)
                .only(SoakFault.SUBMIT_DROPPED_AFTER_HANDLING, SoakFault.JOB_FAILED, SoakFault.JOB_LONGER_THAN_DEADLINE,
                        SoakFault.STATUS_5XX)
                .run("a careless client", server, (config, clock) -> careless(new SyncClients().newClient(config, clock), clock));
        assertThat(report.problems())
                .anyMatch(p -> p.contains("SUBMIT_DROPPED_AFTER_HANDLING") && p.contains("one call paid for 2 jobs"))
                .anyMatch(p -> p.contains("JOB_FAILED") && p.contains("ended with an untyped error"))
                .anyMatch(p -> p.contains("JOB_LONGER_THAN_DEADLINE") && p.contains("after its deadline"))
                .anyMatch(p -> p.contains("Expected no status poll after a terminal state"));
        assertThatThrownBy(report::assertPromisesKept).isInstanceOf(AssertionError.class)
                .hasMessageContaining("-Dsegmindkit.soak.seed=3");
    }

    private static ClientAdapter careless(ClientAdapter client, ManualClock clock) {
        return (ClientAdapter) Proxy.newProxyInstance(ClientAdapter.class.getClassLoader(), new Class<?>[] {ClientAdapter.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("run")) {
                        try {
                            return method.invoke(client, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                    ModelRequest request = (ModelRequest) args[0];
                    try {
                        InferenceResult result = client.run(request);
                        client.status(result.requestId());
                        return result;
                    } catch (SubmitOutcomeUnknownException e) {
                        return client.run(request);
                    } catch (InferenceFailedException e) {
                        throw new IllegalStateException("the job failed");
                    } catch (InferenceTimeoutException e) {
                        clock.advance(Duration.ofSeconds(5));
                        client.status(e.requestId().orElseThrow());
                        throw e;
                    }
                });
    }
}
