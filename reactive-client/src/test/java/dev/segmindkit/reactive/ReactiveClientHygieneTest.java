package dev.segmindkit.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.NotFoundException;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.tck.ThreadCensus;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Hygiene (issue 8, part 5) for the reactive client: after real work and {@code close()} no
 * connection is left open, and no thread of the client's own is left running; and a client keeps
 * working when the server restarts on the same port.
 *
 * <p>What close() releases: always its connection pool (every connection closes); with {@link
 * ReactiveSegmindClient.Builder#eventLoopThreads} also its own event loops. What it leaves, by
 * design, is what it did not create and shares with the application, as WebFlux does: Reactor
 * Netty's global event loops ({@code reactor-http-epoll-N} or {@code reactor-http-nio-N}) for a
 * client built without loops of its own, and Reactor's shared schedulers: {@code parallel-N} (the
 * default scheduler of polls and timeouts) and {@code boundedElastic-N} (file work and reading
 * uploads, whose idle threads end after a minute). Those are the application's to dispose ({@code
 * HttpResources.disposeLoopsAndConnections()}, {@code Schedulers.shutdownNow()}), and this test
 * asserts that nothing else survives.
 */
@Timeout(120)
class ReactiveClientHygieneTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration AT_MOST = Duration.ofSeconds(30);
    /** Neither the client's nor the application's: the fake's threads and the JVM's. */
    private static final Predicate<Thread> JVM_OR_FAKE = t -> t.getName().startsWith("segmind-fake-")
            || t.getName().startsWith("ForkJoinPool.commonPool") || t.getName().startsWith("Common-Cleaner")
            // the test's own ImageIO writing its input image
            || t.getName().equals("Java2D Disposer");
    /** Reactor's shared schedulers, which the client uses and never owns. */
    private static final Pattern REACTOR_SHARED = Pattern.compile("(parallel|boundedElastic|boundedElastic-evictor)-\\d+");
    /** Reactor Netty's global event loops, shared with WebFlux and whatever else runs on them. */
    private static final Pattern REACTOR_NETTY_GLOBAL = Pattern.compile("reactor-http-(epoll|nio|kqueue)-\\d+");

    @TempDir
    Path dir;

    private static ModelRequest style() {
        return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/s.png").width(64).height(64));
    }

    private static Predicate<Thread> named(Pattern pattern) {
        return t -> pattern.matcher(t.getName()).matches();
    }

    /** Every kind of work the client does, each to its end (or, for the watch, disposed midway). */
    private void doRealWork(ReactiveSegmindClient client, FakeSegmindServer server, Tenant tenant) throws Exception {
        Path image = dir.resolve("in.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", image.toFile());

        InferenceResult result = client.run(style()).block(AT_MOST);
        assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
        JobHandle handle = client.submit(style()).block(AT_MOST);
        assertThat(client.await(handle).block(AT_MOST).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(client.status(handle.requestId()).block(AT_MOST).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(client.result(handle.requestId()).block(AT_MOST).outputs()).isNotEmpty();
        assertThat(client.runSync(style()).block(AT_MOST).bytes()).isNotEmpty();
        Path v1 = dir.resolve("v1.png");
        assertThat(client.runSync(style(), v1).block(AT_MOST).size()).isEqualTo(Files.size(v1));
        assertThat(client.upload(image).block(AT_MOST)).hasSize(1);
        assertThat(client.credits().block(AT_MOST)).isNotNull();
        String output = result.firstOutput().orElseThrow();
        assertThat(client.download(output).block(AT_MOST)).isNotEmpty();
        assertThat(client.download(output, dir.resolve("out.png")).block(AT_MOST)).exists();

        // A watch disposed while it waits for the next poll: its pending delay is cancelled.
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ofMinutes(10)));
        String queued = client.submit(style()).block(AT_MOST).requestId();
        StatusUpdate first = client.watch(queued).take(1).blockLast(AT_MOST);
        assertThat(first.status()).isEqualTo(JobStatus.QUEUED);

        assertThat(server.openConnections()).as("the work went over pooled connections").isPositive();
    }

    @Test
    void withItsOwnEventLoopsCloseLeavesNoThreadOfItsOwnAndNoConnection() throws Exception {
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Tenant tenant = server.newTenant();
            ThreadCensus census = ThreadCensus.take();
            ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString())
                    .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(20))).eventLoopThreads(2).build();
            doRealWork(client, server, tenant);
            List<String> working = census.newThreads(JVM_OR_FAKE.or(named(REACTOR_SHARED))).stream().map(Thread::getName)
                    .collect(Collectors.toList());
            assertThat(working).as("the client's own event loops ran the work, and nothing else: " + working).isNotEmpty()
                    .allMatch(name -> name.startsWith("segmindkit-http-"));

            client.closeLater().block(AT_MOST);

            List<String> left = census.awaitNewThreadsEnded(JVM_OR_FAKE.or(named(REACTOR_SHARED)), SETTLE, () -> { });
            assertThat(left).as("threads the client left running").isEmpty();
            assertThat(server.awaitOpenConnections(0, SETTLE)).as("connections left open: " + server.openConnections()).isTrue();
        }
    }

    @Test
    void onSharedEventLoopsCloseLeavesOnlyTheApplicationsThreadsAndNoConnection() throws Exception {
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Tenant tenant = server.newTenant();
            ThreadCensus census = ThreadCensus.take();
            ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString())
                    .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(20))).build();
            doRealWork(client, server, tenant);

            client.closeLater().block(AT_MOST);

            List<String> left = census.awaitNewThreadsEnded(JVM_OR_FAKE.or(named(REACTOR_SHARED)).or(named(REACTOR_NETTY_GLOBAL)),
                    SETTLE, () -> { });
            assertThat(left).as("threads left running beyond Reactor's and Reactor Netty's shared ones").isEmpty();
            assertThat(server.awaitOpenConnections(0, SETTLE)).as("connections left open: " + server.openConnections()).isTrue();
        }
    }

    @Test
    void closeWithoutWaitingReleasesTheConnectionsToo() throws Exception {
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Tenant tenant = server.newTenant();
            ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString())
                    .build();
            // One call first: the fake's first concurrent answers can fail with a Jackson NPE (reported, not ours here).
            client.credits().block(AT_MOST);
            Flux.range(0, 8).flatMap(i -> client.credits(), 8).blockLast(AT_MOST);
            assertThat(server.openConnections()).isPositive();

            client.close();

            assertThat(server.awaitOpenConnections(0, SETTLE)).as("connections left open: " + server.openConnections()).isTrue();
        }
    }

    @Test
    void aClosedClientSaysSoAndSendsNothing() {
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Tenant tenant = server.newTenant();
            ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString())
                    .build();
            client.closeLater().block(AT_MOST);

            assertThatThrownBy(() -> client.credits().block(AT_MOST)).isInstanceOf(dev.segmindkit.core.ClientClosedException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> client.submit(style()).block(AT_MOST)).isInstanceOf(dev.segmindkit.core.ClientClosedException.class)
                    .hasMessageContaining("closed");
            assertThat(tenant.journal().entries()).isEmpty();
        }
    }

    @Test
    void keepsWorkingWhenTheServerRestartsOnTheSamePort() {
        FakeSegmindServer first = FakeSegmindServer.start();
        int port = first.port();
        Tenant before = first.newTenant();
        before.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ofMinutes(10)));
        try (ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(before.apiKey()).baseUrl(first.baseUrl().toString())
                .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(20))).build()) {
            String id = client.submit(style()).block(AT_MOST).requestId();
            assertThat(client.status(id).block(AT_MOST).status()).isEqualTo(JobStatus.QUEUED);
            assertThat(first.openConnections()).as("a pooled connection to the first server").isPositive();

            first.close();
            try (FakeSegmindServer second = FakeSegmindServer.builder().port(port).start()) {
                Tenant after = second.newTenant(before.apiKey());

                // The new server never heard of the job: resuming it is the 404 of an unknown request.
                assertThatThrownBy(() -> client.await(id).block(AT_MOST)).isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.requestId()).contains(id));
                // New work needs no new client.
                assertThat(client.run(style()).block(AT_MOST).status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(client.credits().block(AT_MOST)).isNotNull();
                after.journal().assertPaidSubmits(1);
                assertThat(after.journal().entries(Phase.STATUS)).isNotEmpty();
            }
        } finally {
            first.close();
        }
    }

    /**
     * The first calls after a restart are submits, on connections pooled to the server that died.
     * Each round leaves several pooled connections and then submits on as many at once. A pooled
     * connection the client has already seen closed is never used; one closed by the server in the
     * instant before the submit is acquired can be written to before the client reads the close:
     * Reactor Netty then reports "prematurely closed BEFORE response", which it cannot tell from a
     * server that read the request and died, so the client says {@link
     * SubmitOutcomeUnknownException} and never re-sends. What the test holds the client to: every
     * submit gives a job or that exception (never another error), nothing is paid twice, and every
     * job the client reported exists.
     */
    @Test
    void aSubmitIsTheFirstCallAfterARestartAndIsNeverSentTwice() {
        int rounds = 10;
        int parallel = 6;
        FakeSegmindServer server = FakeSegmindServer.start();
        int port = server.port();
        String key = server.newTenant().apiKey();
        int unknown = 0;
        int neverArrived = 0;
        try (ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(key).baseUrl(server.baseUrl().toString())
                .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(20))).build()) {
            for (int round = 0; round < rounds; round++) {
                Flux.range(0, parallel).flatMap(i -> client.credits(), parallel).blockLast(AT_MOST);
                assertThat(server.openConnections()).as("pooled connections to the server about to stop").isPositive();
                server.close();
                server = FakeSegmindServer.builder().port(port).start();
                Tenant tenant = server.newTenant(key);

                List<Object> outcomes = Flux.range(0, parallel)
                        .flatMap(i -> client.submit(style()).<Object>map(JobHandle::requestId).onErrorResume(Mono::just), parallel)
                        .collectList().block(AT_MOST);

                List<String> ids = outcomes.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toList());
                assertThat(outcomes).as("round %d", round).hasSize(parallel)
                        .allSatisfy(o -> assertThat(o).isInstanceOfAny(String.class, SubmitOutcomeUnknownException.class));
                List<String> paid = tenant.journal().submittedRequestIds();
                assertThat(paid).as("round %d: every job reported exists, and no submit was paid twice", round)
                        .containsAll(ids).hasSizeLessThanOrEqualTo(parallel);
                unknown += parallel - ids.size();
                neverArrived += parallel - paid.size();
            }
            // Not asserted (a race on the event loops), but reported: how often the window was hit.
            System.out.printf("restart then submit: %d of %d submits answered SubmitOutcomeUnknownException, %d never reached"
                    + " the server%n", unknown, rounds * parallel, neverArrived);
        } finally {
            server.close();
        }
    }
}
