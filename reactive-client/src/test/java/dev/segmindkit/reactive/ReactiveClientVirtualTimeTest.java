package dev.segmindkit.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.Journal;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Polling schedules, retry backoffs, rate-limit waits, per-request timeouts and deadlines, verified
 * with {@link StepVerifier#withVirtualTime} against the fake server, whose clock is the same
 * virtual-time scheduler: minutes of waiting pass in milliseconds, and every instant is exact.
 */
class ReactiveClientVirtualTimeTest {
    private static final Duration VERIFY = Duration.ofSeconds(30);
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static FakeSegmindServer server;

    private VirtualTimeScheduler vts;
    private VirtualClock time;
    private Tenant tenant;
    private ReactiveSegmindClient client;
    private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
    private final List<StatusUpdate> changes = new CopyOnWriteArrayList<>();
    private final InFlightProbe probe = new InFlightProbe();

    @BeforeAll
    static void startServer() {
        server = FakeSegmindServer.builder().model("flux-schnell").start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void virtualTime() {
        vts = VirtualTimeScheduler.create();
        time = new VirtualClock(vts);
        tenant = server.newTenant(time.timeSource());
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.closeLater().block(VERIFY);
        }
        vts.dispose();
    }

    private ReactiveSegmindClient client(PollingPolicy polling, RetryPolicy retry) {
        return client(polling, retry, server.baseUrl().toString());
    }

    private ReactiveSegmindClient client(PollingPolicy polling, RetryPolicy retry, String baseUrl) {
        client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(baseUrl).scheduler(vts)
                .pollingPolicy(polling).retryPolicy(retry).onRetry(retries::add).onStatusChange(changes::add).exchangeListener(probe)
                .build();
        time.watch(probe);
        return client;
    }

    /**
     * Sets {@code done} as the first terminal signal passes, before StepVerifier sees it: a task of
     * its script that drives time (and waits on this flag) must end before StepVerifier can take
     * the signal.
     */
    private static <T> java.util.function.Function<reactor.core.publisher.Mono<T>, reactor.core.publisher.Mono<T>> ends(AtomicBoolean done) {
        return mono -> mono.doOnEach(signal -> {
            if (!signal.isOnSubscribe()) {
                done.set(true);
            }
        });
    }

    private static ModelRequest generic() {
        return ModelRequest.of("flux-schnell", Map.of("prompt", "a red fox", "width", 16, "height", 16));
    }

    private Journal journal() {
        return tenant.journal();
    }

    /** Seconds after {@code start} of each status poll. */
    private List<Double> pollTimes(Instant start) {
        return journal().entries(Phase.STATUS).stream().map(e -> Duration.between(start, e.at()).toMillis() / 1000.0)
                .collect(Collectors.toList());
    }

    @Test
    void aTenMinuteJobIsPolledEverySecondAndCompletesInMilliseconds() {
        tenant.timeline(Duration.ofMinutes(5), Duration.ofMinutes(5));
        ReactiveSegmindClient c = client(PollingPolicy.fixed(SECOND).withDeadline(Duration.ofMinutes(15)), RetryPolicy.defaults());
        Instant start = time.now();
        AtomicBoolean done = new AtomicBoolean();
        long realStart = System.nanoTime();

        StepVerifier.withVirtualTime(() -> c.run(generic()).transform(ends(done)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> time.advanceUntil(done::get, SECOND, Duration.ofMinutes(20)))
                .assertNext(result -> assertThat(result.status()).isEqualTo(JobStatus.COMPLETED))
                .expectComplete()
                .verify(VERIFY);

        assertThat(Duration.between(start, time.now())).isEqualTo(Duration.ofMinutes(10));
        assertThat(Duration.ofNanos(System.nanoTime() - realStart)).isLessThan(Duration.ofSeconds(20));
        // First poll at once (the Python SDK's schedule), then one a second until the job is done at 600 s.
        assertThat(pollTimes(start)).hasSize(601).startsWith(0.0, 1.0, 2.0).endsWith(599.0, 600.0);
        journal().assertPaidSubmits(1);
        journal().assertPollSpacingAtLeast(SECOND);
        journal().assertNoPollAfterTerminal();
        assertThat(changes).extracting(StatusUpdate::status).containsExactly(JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.COMPLETED);
        assertThat(changes.get(1).observedAt()).isEqualTo(start.plus(Duration.ofMinutes(5)));
    }

    @Test
    void pollsFollowTheBackoffScheduleToTheSecond() {
        tenant.timeline(Duration.ZERO, Duration.ofSeconds(60));
        ReactiveSegmindClient c = client(PollingPolicy.backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(16)), RetryPolicy.defaults());
        Instant start = time.now();
        AtomicBoolean done = new AtomicBoolean();

        StepVerifier.withVirtualTime(() -> c.run(generic()).transform(ends(done)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> time.advanceUntil(done::get, SECOND, Duration.ofMinutes(5)))
                .assertNext(result -> assertThat(result.status()).isEqualTo(JobStatus.COMPLETED))
                .expectComplete()
                .verify(VERIFY);

        assertThat(pollTimes(start)).containsExactly(2.0, 4.0, 8.0, 16.0, 32.0, 48.0, 64.0);
    }

    @Test
    void pollsAreSparseWhileAModelsJobCanHardlyBeDone() {
        tenant.timeline(Duration.ZERO, Duration.ofSeconds(20));
        ReactiveSegmindClient c = client(PollingPolicy.defaults(), RetryPolicy.defaults());
        Instant start = time.now();
        AtomicBoolean done = new AtomicBoolean();
        ModelRequest style = ModelRequest.styleTransfer(new dev.segmindkit.model.StyleTransferRequest()
                .styleImage("https://example.com/s.png"));

        StepVerifier.withVirtualTime(() -> c.run(style).transform(ends(done)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> time.advanceUntil(done::get, Duration.ofMillis(100), Duration.ofMinutes(2)))
                .expectNextCount(1)
                .expectComplete()
                .verify(VERIFY);

        // The default spaces polls by the spec's typical 17 s: a quarter of it apart at first, closer
        // as the job nears 17 s (time moves in 100 ms steps here, so each poll is up to 0.1 s late).
        List<Double> polls = pollTimes(start);
        assertThat(polls.get(0)).isBetween(4.25, 4.35);
        assertThat(polls).filteredOn(t -> t < 12).hasSize(2);
        assertThat(polls.get(polls.size() - 1)).isBetween(20.0, 20.9);
        assertThat(polls).hasSizeLessThan(14);
    }

    @Test
    void aWaitThatStartsLateFollowsTheScheduleFromTheSubmit() {
        tenant.timeline(Duration.ZERO, Duration.ofSeconds(17));
        ReactiveSegmindClient c = client(PollingPolicy.defaults(), RetryPolicy.defaults());
        ModelRequest style = ModelRequest.styleTransfer(new dev.segmindkit.model.StyleTransferRequest()
                .styleImage("https://example.com/s.png"));
        JobHandle handle = c.submit(style).block(VERIFY);
        time.advanceBy(Duration.ofSeconds(30), Duration.ofSeconds(1)); // done for 13 s when the wait starts
        Instant waitStarted = time.now();
        AtomicBoolean done = new AtomicBoolean();

        StepVerifier.withVirtualTime(() -> c.await(handle).transform(ends(done)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> time.advanceUntil(done::get, Duration.ofMillis(100), Duration.ofMinutes(1)))
                .expectNextCount(1)
                .expectComplete()
                .verify(VERIFY);

        // 30 s into a 17 s model's job the default policy polls at its densest, not afresh from a
        // quarter of the typical duration.
        assertThat(journal().polls(handle.requestId())).hasSize(1);
        assertThat(Duration.between(waitStarted, time.now())).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void retriesWaitTheBackoffAndTheRateLimitResetThenSucceed() {
        tenant.timeline(Duration.ZERO, Duration.ZERO);
        tenant.inject(Phase.STATUS, Fault.status(503).times(2));
        tenant.inject(Phase.STATUS, Fault.rateLimited(Duration.ofSeconds(7)).times(1));
        ReactiveSegmindClient c = client(PollingPolicy.fixed(SECOND), RetryPolicy.defaults().withJitter(0.0));
        Instant start = time.now();
        AtomicBoolean done = new AtomicBoolean();

        StepVerifier.withVirtualTime(() -> c.run(generic()).transform(ends(done)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> time.advanceUntil(done::get, Duration.ofMillis(100), Duration.ofMinutes(1)))
                .assertNext(result -> assertThat(result.status()).isEqualTo(JobStatus.COMPLETED))
                .expectComplete()
                .verify(VERIFY);

        assertThat(retries).extracting(RetryEvent::retry).containsExactly(1, 2, 3);
        assertThat(retries.get(0).delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(retries.get(1).delay()).isEqualTo(Duration.ofSeconds(1));
        // The third wait is the server's (its reset instant, in whole seconds), longer than the 2 s backoff.
        assertThat(retries.get(2).delay()).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(8));
        List<Double> polls = pollTimes(start);
        assertThat(polls.subList(0, 3)).containsExactly(0.0, 0.5, 1.5);
        assertThat(polls.get(3)).isGreaterThanOrEqualTo(7.5);
        journal().assertRateLimitResetHonoured();
        journal().assertPaidSubmits(1);
    }

    @Test
    void theDeadlineEndsTheWaitWithTheRequestIdAndLastStatus() {
        tenant.timeline(Duration.ofMinutes(2), Duration.ofHours(1));
        ReactiveSegmindClient c = client(PollingPolicy.fixed(SECOND).withDeadline(Duration.ofMinutes(10)), RetryPolicy.defaults());
        String id = c.submit(generic()).block(VERIFY).requestId();
        time.awaitIdle();
        Instant start = time.now();

        StepVerifier.withVirtualTime(() -> c.await(id), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> time.advanceBy(Duration.ofMinutes(11), SECOND))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(InferenceTimeoutException.class);
                    InferenceTimeoutException timeout = (InferenceTimeoutException) e;
                    assertThat(timeout.requestId()).contains(id);
                    assertThat(timeout.lastStatus()).isEqualTo(JobStatus.PROCESSING);
                    assertThat(timeout.waited()).isEqualTo(Duration.ofMinutes(10));
                })
                .verify(VERIFY);

        List<Double> polls = pollTimes(start);
        assertThat(polls).hasSize(601).endsWith(600.0);
    }

    @Test
    void disposingMidWaitSendsNoFurtherPoll() {
        tenant.timeline(Duration.ofHours(1), Duration.ZERO);
        ReactiveSegmindClient c = client(PollingPolicy.fixed(SECOND), RetryPolicy.defaults());
        String id = c.submit(generic()).block(VERIFY).requestId();
        time.awaitIdle();

        // The first status arrives before time is driven: StepVerifier must not see a value while a
        // task of its script runs.
        StepVerifier.withVirtualTime(() -> c.watch(id), () -> vts, Long.MAX_VALUE)
                .expectNextMatches(update -> update.status().equals(JobStatus.QUEUED))
                .then(() -> time.advanceBy(Duration.ofSeconds(5), SECOND))
                .thenCancel()
                .verify(VERIFY);
        Instant disposedAt = time.now();
        int polls = journal().polls(id).size();

        time.advanceBy(Duration.ofMinutes(10), SECOND);

        assertThat(polls).as(journal().toString()).isEqualTo(6);
        assertThat(journal().polls(id)).hasSize(polls).allSatisfy(poll -> assertThat(poll.at()).isBeforeOrEqualTo(disposedAt));
        assertThat(probe.count()).isZero();
    }

    @Test
    void aPollThatTimesOutOnTheSchedulerIsRetried() {
        tenant.timeline(Duration.ZERO, Duration.ZERO);
        tenant.inject(Phase.STATUS, Fault.realDelay(Duration.ofSeconds(3)).times(1));
        ReactiveSegmindClient c = client(PollingPolicy.fixed(SECOND).withRequestTimeout(Duration.ofSeconds(5)),
                RetryPolicy.defaults().withJitter(0.0));
        String id = c.submit(generic()).block(VERIFY).requestId();
        time.awaitIdle();
        Instant start = time.now();
        AtomicBoolean done = new AtomicBoolean();

        StepVerifier.withVirtualTime(() -> c.await(id).transform(ends(done)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                // The first poll is under way (the fake holds it for 3 s of real time): its timeout is due in 5 s of virtual time.
                .then(() -> assertThat(probe.count()).isEqualTo(1))
                .then(() -> vts.advanceTimeBy(Duration.ofSeconds(5)))
                .then(() -> time.advanceUntil(done::get, Duration.ofMillis(100), Duration.ofSeconds(10)))
                .assertNext(result -> assertThat(result.status()).isEqualTo(JobStatus.COMPLETED))
                .expectComplete()
                .verify(VERIFY);

        assertThat(retries).singleElement().satisfies(event -> {
            assertThat(event.failure()).isInstanceOf(SegmindIOException.class).hasMessageContaining("no answer within the request timeout");
            assertThat(event.delay()).isEqualTo(Duration.ofMillis(500));
        });
        assertThat(Duration.between(start, time.now())).isEqualTo(Duration.ofMillis(5500));
    }

    @Test
    void aSubmitThatTimesOutAfterSendingIsNotSentAgain() throws InterruptedException {
        tenant.inject(Phase.SUBMIT, Fault.realDelay(Duration.ofSeconds(2)).times(1));
        CountDownLatch sent = new CountDownLatch(1);
        client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString()).scheduler(vts)
                .pollingPolicy(PollingPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5))).onRetry(retries::add)
                // Called as each request goes out: lets the test move time only once the submit is on the wire.
                .contextHeaders(context -> {
                    sent.countDown();
                    return Map.of();
                })
                .exchangeListener(probe)
                .build();
        time.watch(probe);
        ReactiveSegmindClient c = client;

        StepVerifier.withVirtualTime(() -> c.submit(generic()), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> assertThat(await(sent)).isTrue())
                .thenAwait(Duration.ofSeconds(5))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SubmitOutcomeUnknownException.class)
                        .hasMessageContaining("flux-schnell").hasMessageContaining("no answer within the request timeout"))
                .verify(VERIFY);

        assertThat(retries).isEmpty();
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aSubmitThatCouldNotConnectWasNeverSentSoItIsRetried() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ReactiveSegmindClient c = client(PollingPolicy.defaults(), RetryPolicy.defaults().withJitter(0.0).withMaxAttempts(3),
                "http://127.0.0.1:" + closedPort);
        AtomicBoolean done = new AtomicBoolean();

        StepVerifier.withVirtualTime(() -> c.submit(generic()).transform(ends(done)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> time.advanceUntil(done::get, Duration.ofMillis(100), Duration.ofSeconds(10)))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isExactlyInstanceOf(SegmindIOException.class);
                    assertThat(((SegmindIOException) e).requestSent()).isFalse();
                })
                .verify(VERIFY);

        assertThat(retries).extracting(RetryEvent::delay).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void nothingIsSentBeforeSubscription() {
        ReactiveSegmindClient c = client(PollingPolicy.defaults(), RetryPolicy.defaults());
        c.run(generic());
        c.submit(generic());
        c.credits();
        c.status("abc");
        time.advanceBy(Duration.ofSeconds(5), SECOND);
        assertThat(journal().entries()).isEmpty();
    }
}
