package dev.segmindkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.ServerException;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.WaitInterruptedException;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.tck.RecordingLogs;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only the blocking client does: thread interruption, virtual threads, its listener and rate limit. */
class SyncClientTest {
    private static FakeSegmindServer server;
    private ManualClock clock;
    private Tenant tenant;

    @BeforeAll
    static void start() {
        server = FakeSegmindServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void tenant() {
        clock = new ManualClock();
        tenant = server.newTenant(clock);
    }

    private SegmindClient.Builder client() {
        return SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString()).timeSource(clock);
    }

    private static ModelRequest style() {
        return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/s.png"));
    }

    /** A time source whose sleeps block until the thread is interrupted, and say when they start. */
    private static final class BlockingTime implements TimeSource {
        final CountDownLatch sleeping = new CountDownLatch(1);
        private final ManualClock clock;

        BlockingTime(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public Instant now() {
            return clock.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            sleeping.countDown();
            new CountDownLatch(1).await();
        }
    }

    @Test
    @Timeout(10)
    void interruptingAWaitStopsPollingKeepsTheFlagAndNamesTheJob() throws Exception {
        BlockingTime time = new BlockingTime(clock);
        try (SegmindClient c = client().timeSource(time).build()) {
            Job job = c.submit(style());
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flagKept = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    job.await();
                } catch (Throwable t) {
                    thrown.set(t);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            waiter.start();
            assertThat(time.sleeping.await(5, TimeUnit.SECONDS)).isTrue();
            waiter.interrupt();
            waiter.join(5_000);
            assertThat(thrown.get()).isInstanceOf(WaitInterruptedException.class).hasMessageContaining(job.requestId());
            assertThat(flagKept.get()).isTrue();
            assertThat(tenant.journal().entries(Phase.STATUS)).isEmpty();
        }
    }

    @Test
    @Timeout(120)
    void aThousandJobsRunConcurrentlyOnVirtualThreads() throws Exception {
        ExecutorService executor;
        try {
            executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            // JDK 17 has no virtual threads: the same load on platform threads still proves the client.
            executor = Executors.newFixedThreadPool(200);
        }
        // Real time, short jobs: a thousand threads advancing one manual clock would race it past
        // their own deadlines, which proves nothing about the client.
        Tenant realTime = server.newTenant(TimeSource.system()).timeline(Duration.ofMillis(100), Duration.ofMillis(400));
        try (SegmindClient c = SegmindClient.builder().apiKey(realTime.apiKey()).baseUrl(server.baseUrl().toString())
                .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(100))).build()) {
            List<Future<InferenceResult>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                results.add(executor.submit(() -> c.run(style())));
            }
            for (Future<InferenceResult> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.COMPLETED);
            }
        } finally {
            executor.shutdownNow();
        }
        realTime.journal().assertPaidSubmits(1000);
        realTime.journal().assertNoPollAfterTerminal();
    }

    @Test
    void theListenerHearsEveryRetriedPollAsItHappens() {
        tenant.inject(Phase.STATUS, Fault.status(503).times(2));
        List<RetryEvent> retries = new CopyOnWriteArrayList<>();
        StatusListener listener = new StatusListener() {
            @Override
            public void onStatusChange(dev.segmindkit.core.StatusUpdate update) {
            }

            @Override
            public void onRetry(RetryEvent event) {
                retries.add(event);
            }
        };
        try (SegmindClient c = client().statusListener(listener).build()) {
            Job job = c.submit(style());
            job.await();
            assertThat(retries).extracting(RetryEvent::retry).containsExactly(1, 2);
            assertThat(retries).allSatisfy(e -> {
                assertThat(e.requestId()).contains(job.requestId());
                assertThat(e.failure()).isInstanceOf(ServerException.class);
                assertThat(e.operation()).endsWith("/status");
                assertThat(e.delay()).isPositive();
            });
        }
    }

    @Test
    void theClientWidePollRateLimitSpacesPolls() {
        try (SegmindClient c = client().pollRateLimit(0.5).pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(100))).build()) {
            c.run(style());
        }
        tenant.journal().assertPollSpacingAtLeast(Duration.ofSeconds(2));
    }

    @Test
    void theTypedConveniencesAndStreamingVariantsWorkEndToEnd() {
        try (SegmindClient c = client().build()) {
            assertThat(c.styleTransfer(new StyleTransferRequest().styleImage("https://e.com/s.png")).status())
                    .isEqualTo(JobStatus.COMPLETED);
            assertThat(c.materialTransfer(new dev.segmindkit.model.MaterialTransferRequest().materialImage("https://e.com/m.png")
                    .subjectImage("https://e.com/s.png")).status()).isEqualTo(JobStatus.COMPLETED);
            Job typed = c.submit(new StyleTransferRequest().styleImage("https://e.com/s.png"));
            assertThat(typed.handle().model()).contains("style-transfer");
            assertThat(typed.handle().submittedAt()).isPresent();
            assertThat(typed.await().requestId()).isEqualTo(typed.requestId());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            dev.segmindkit.core.SyncResponse response = c.runSync(style(), out);
            assertThat(out.size()).isPositive().isEqualTo((int) response.size());
            assertThat(response.contentType()).isEqualTo("image/webp");
        }
        tenant.journal().assertPaidSubmits(3);
        assertThat(tenant.journal().entries(Phase.V1)).hasSize(1);
    }

    @Test
    void aPollRateLimitMustBePositive() {
        assertThatThrownBy(() -> SegmindClient.builder().pollRateLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    @Test
    void requestsAreLoggedAtDebugWithInlineImagesCutShort() {
        RecordingLogs.clear();
        String inline = "data:image/png;base64," + "iVBORw0KGgo".repeat(300);
        try (SegmindClient c = client().build()) {
            c.run(ModelRequest.styleTransfer(new StyleTransferRequest().styleImage(inline)));
        }
        assertThat(RecordingLogs.lines()).anyMatch(l -> l.startsWith("DEBUG dev.segmindkit.sync: POST /v2/style-transfer {")
                && l.contains("(3300 chars)") && l.length() < 1000);
        assertThat(RecordingLogs.lines()).anyMatch(l -> l.contains("/status -> 200"));
    }

    @Test
    void aClientWithoutAKeyFailsAtBuildSayingHowToSetOne() {
        assertThatThrownBy(() -> SegmindClient.builder().baseUrl(server.baseUrl().toString()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SEGMIND_API_KEY");
    }

    @Test
    void aWaitThatStartsLateFollowsTheScheduleFromTheSubmit() {
        tenant.timeline(Duration.ZERO, Duration.ofSeconds(17));
        try (SegmindClient c = client().build()) {
            Job job = c.submit(style());
            clock.advance(Duration.ofSeconds(30)); // the job has been done for 13 s when the caller starts waiting
            Instant waitStarted = clock.now();

            InferenceResult result = job.await();

            // 30 s into a 17 s model's job the default policy polls at its densest, not afresh from
            // a quarter of the typical duration.
            assertThat(tenant.journal().polls(result.requestId())).hasSize(1);
            assertThat(Duration.between(waitStarted, clock.now())).isLessThan(Duration.ofSeconds(1));
        }
    }
}
