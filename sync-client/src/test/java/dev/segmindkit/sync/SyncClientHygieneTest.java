package dev.segmindkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.NotFoundException;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.tck.ThreadCensus;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hygiene (issue 8, part 5): a blocking client that did real work and was closed leaves no thread
 * and no connection behind; and a client keeps working when the server restarts on the same port.
 *
 * <p>What close() releases: the client's HTTP threads (an executor of its own, shut down) and, from
 * JDK 21, the JDK HTTP clients themselves (selector threads end, pooled connections close). On
 * JDK 17 to 20 the JDK's HTTP client has no close: the client drops every reference to it, and the
 * JDK ends its selector thread and closes its connections once the collector reclaims it; this test
 * asks for a collection while it waits, and holds both JDKs to the same count: zero.
 */
@Timeout(120)
class SyncClientHygieneTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Not the client's: the fake's own threads, and the JVM's shared pools. */
    private static final Predicate<Thread> NOT_THE_CLIENTS = t -> t.getName().startsWith("segmind-fake-")
            || t.getName().startsWith("ForkJoinPool.commonPool") || t.getName().startsWith("Common-Cleaner");

    @TempDir
    Path dir;

    private static ModelRequest style() {
        return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/s.png").width(64).height(64));
    }

    @Test
    void closeLeavesNoThreadAndNoConnectionAfterRealWork() throws Exception {
        Path image = dir.resolve("in.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            ManualClock clock = new ManualClock();
            Tenant tenant = server.newTenant(clock);
            ThreadCensus census = ThreadCensus.take();
            SegmindClient client = SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString()).timeSource(clock)
                    .build();

            InferenceResult result = client.run(style());
            Job submitted = client.submit(style());
            assertThat(submitted.await().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(submitted.result().outputs()).isNotEmpty();
            assertThat(client.runSync(style()).bytes()).isNotEmpty();
            assertThat(client.upload(image)).hasSize(1);
            assertThat(client.credits()).isNotNull();
            assertThat(client.media().read(result.firstOutput().orElseThrow())).isNotEmpty();
            assertThat(server.openConnections()).as("the work went over pooled connections").isPositive();

            client.close();
            client = null;

            List<String> left = census.awaitNewThreadsEnded(NOT_THE_CLIENTS, SETTLE, System::gc);
            assertThat(left).as("threads the client left running").isEmpty();
            assertThat(server.awaitOpenConnections(0, SETTLE)).as("connections left open: " + server.openConnections()).isTrue();
        }
    }

    @Test
    void aClosedClientSaysSo() {
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Tenant tenant = server.newTenant(new ManualClock());
            SegmindClient client = SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString()).build();
            client.close();

            assertThatThrownBy(client::credits).isInstanceOf(dev.segmindkit.core.ClientClosedException.class).hasMessageContaining("closed");
            assertThat(tenant.journal().entries()).isEmpty();
        }
    }

    @Test
    void keepsWorkingWhenTheServerRestartsOnTheSamePort() throws Exception {
        FakeSegmindServer first = FakeSegmindServer.start();
        int port = first.port();
        Tenant before = first.newTenant(TimeSource.system());
        before.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ofMinutes(10)));
        try (SegmindClient client = SegmindClient.builder().apiKey(before.apiKey()).baseUrl(first.baseUrl().toString())
                .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(20))).build()) {
            String id = client.submit(style()).requestId();
            assertThat(client.job(id).status().status()).isEqualTo(JobStatus.QUEUED);
            // The client now holds a pooled connection to the first server.
            assertThat(first.openConnections()).isPositive();

            first.close();
            try (FakeSegmindServer second = FakeSegmindServer.builder().port(port).start()) {
                Tenant after = second.newTenant(before.apiKey());

                // The new server never heard of the job: resuming it is the 404 of an unknown request.
                assertThatThrownBy(() -> client.job(id).await()).isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.requestId()).contains(id));
                // New work needs no new client.
                assertThat(client.run(style()).status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(client.credits()).isNotNull();
                after.journal().assertPaidSubmits(1);
                assertThat(after.journal().entries(Phase.STATUS)).isNotEmpty();
            }
        }
    }

    /**
     * The first calls after a restart are submits, on connections pooled to the server that died.
     * Each round leaves several pooled connections and then submits on as many at once, from as
     * many threads. A pooled connection the JDK client already saw closed is never used; one closed
     * in the instant before the submit can be written to before the close is read, and then the
     * answer is lost after sending: {@link SubmitOutcomeUnknownException}, never a re-send. What the
     * test holds the client to: every submit gives a job or that exception (never another error),
     * nothing is paid twice, and every job the client reported exists.
     */
    @Test
    void aSubmitIsTheFirstCallAfterARestartAndIsNeverSentTwice() throws Exception {
        int rounds = 10;
        int parallel = 6;
        int unknown = 0;
        int neverArrived = 0;
        FakeSegmindServer server = FakeSegmindServer.start();
        int port = server.port();
        String key = server.newTenant(TimeSource.system()).apiKey();
        ExecutorService callers = Executors.newFixedThreadPool(parallel);
        try (SegmindClient client = SegmindClient.builder().apiKey(key).baseUrl(server.baseUrl().toString())
                .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(20))).build()) {
            for (int round = 0; round < rounds; round++) {
                all(callers, parallel, () -> client.credits());
                assertThat(server.openConnections()).as("pooled connections to the server about to stop").isPositive();
                server.close();
                server = FakeSegmindServer.builder().port(port).start();
                Tenant tenant = server.newTenant(key);

                List<Object> outcomes = all(callers, parallel, () -> {
                    try {
                        return client.submit(style()).requestId();
                    } catch (SubmitOutcomeUnknownException e) {
                        return e;
                    }
                });

                List<String> ids = new ArrayList<>();
                outcomes.stream().filter(String.class::isInstance).forEach(o -> ids.add((String) o));
                List<String> paid = tenant.journal().submittedRequestIds();
                assertThat(paid).as("round %d: every job reported exists, and no submit was paid twice", round)
                        .containsAll(ids).hasSizeLessThanOrEqualTo(parallel);
                unknown += parallel - ids.size();
                neverArrived += parallel - paid.size();
            }
            // Not asserted (a race with the connection pool), but reported: how often the window was hit.
            System.out.printf("restart then submit: %d of %d submits answered SubmitOutcomeUnknownException, %d never reached"
                    + " the server%n", unknown, rounds * parallel, neverArrived);
        } finally {
            callers.shutdownNow();
            server.close();
        }
    }

    /** Runs {@code task} on {@code n} threads at once; any failure but the task's own answer fails the test. */
    private static List<Object> all(ExecutorService callers, int n, Callable<Object> task) throws InterruptedException {
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(task);
        }
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> f : callers.invokeAll(tasks)) {
            try {
                outcomes.add(f.get());
            } catch (ExecutionException e) {
                throw new AssertionError("a call failed with " + e.getCause(), e.getCause());
            }
        }
        return outcomes;
    }
}
