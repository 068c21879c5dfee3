package dev.segmindkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.NotFoundException;
import dev.segmindkit.core.PollingPolicy;
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
import java.util.List;
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

            assertThatThrownBy(client::credits).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
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
}
