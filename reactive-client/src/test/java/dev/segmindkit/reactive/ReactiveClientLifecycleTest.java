package dev.segmindkit.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.OutputFormat;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.Tenant;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/**
 * The whole lifecycle in real time on the client's default scheduler ({@code Schedulers.parallel()},
 * whose threads BlockHound treats as non-blocking, like Reactor Netty's event loops), against the
 * fake's short real-time timeline: both models and a generic one, watching, v1 as a file and as a
 * stream of buffers, uploads, downloads to a file, and the Reactor Context reaching requests.
 */
class ReactiveClientLifecycleTest {
    private static final Duration VERIFY = Duration.ofSeconds(30);
    private static FakeSegmindServer server;

    private Tenant tenant;
    private ReactiveSegmindClient client;
    private final List<StatusUpdate> changes = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        server = FakeSegmindServer.builder().model("flux-schnell").start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void client() {
        tenant = server.newTenant();
        client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString())
                .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(25))).onStatusChange(changes::add).build();
    }

    @AfterEach
    void close() {
        client.closeLater().block(VERIFY);
    }

    private static ModelRequest generic() {
        return ModelRequest.of("flux-schnell", Map.of("prompt", "a red fox", "width", 64, "height", 48, "output_format", "png"));
    }

    private static BufferedImage decode(byte[] bytes) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void aStyleTransferRunsFromSubmitToDownloadedFile() throws Exception {
        StepVerifier.create(client.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/s.png")
                        .outputFormat(OutputFormat.PNG).width(32).height(24))
                        .flatMap(result -> client.download(result.firstOutput().orElseThrow(), dir.resolve("out.png"))))
                .assertNext(file -> assertThat(file).exists())
                .expectComplete()
                .verify(VERIFY);
        BufferedImage image = decode(Files.readAllBytes(dir.resolve("out.png")));
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(24);
        assertThat(changes).extracting(StatusUpdate::status).endsWith(JobStatus.COMPLETED);
        tenant.journal().assertPaidSubmits(1);
        tenant.journal().assertNoPollAfterTerminal();
    }

    @Test
    void aMaterialTransferRunsToCompletion() {
        StepVerifier.create(client.materialTransfer(new MaterialTransferRequest().materialImage("https://example.com/m.png")
                        .subjectImage("https://example.com/s.png")))
                .assertNext(result -> {
                    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
                    assertThat(result.firstOutput()).isPresent();
                })
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void aGenericModelRunsAndItsImageDownloads() throws Exception {
        byte[] bytes = client.run("flux-schnell", Map.of("prompt", "a red fox", "width", 64, "height", 48, "output_format", "png"))
                .flatMap(result -> client.download(result.firstOutput().orElseThrow()))
                .block(VERIFY);
        // Decoded here on the test's thread: ImageIO reads its plugins from the class path, which is blocking I/O.
        assertThat(decode(bytes).getWidth()).isEqualTo(64);
    }

    @Test
    void watchingAJobEmitsEachChangeAndCompletesAfterTheTerminalOne() {
        StepVerifier.create(client.submit(generic()).flatMapMany(handle -> client.watch(handle.requestId())))
                .recordWith(java.util.ArrayList::new)
                .thenConsumeWhile(update -> true)
                .consumeRecordedWith(updates -> assertThat(updates).extracting(StatusUpdate::status)
                        .doesNotHaveDuplicates().endsWith(JobStatus.COMPLETED))
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void aFailedJobEndsAWatchWithAFailedUpdateAndAnAwaitWithItsError() {
        tenant.scriptNext("flux-schnell", 1, JobScript.fails("NSFW content detected"));
        String id = client.submit(generic()).block(VERIFY).requestId();
        StepVerifier.create(client.watch(id).last())
                .assertNext(update -> assertThat(update.status()).isEqualTo(JobStatus.FAILED))
                .expectComplete()
                .verify(VERIFY);
        StepVerifier.create(client.await(id))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.segmindkit.core.InferenceFailedException.class)
                        .hasMessageContaining("NSFW content detected"))
                .verify(VERIFY);
    }

    @Test
    void aV1ImageStreamsAsBuffersWithItsHeaders() {
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(3).nextBytes(big);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 0, big, 0, 4);
        tenant.scriptNext("flux-schnell", 1, JobScript.completes().withImages(big));
        StepVerifier.create(client.runSync(generic(), (SyncResponse response, Flux<java.nio.ByteBuffer> body) -> body
                        .reduce(new ByteArrayOutputStream(), (out, buffer) -> {
                            byte[] chunk = new byte[buffer.remaining()];
                            buffer.get(chunk);
                            out.write(chunk, 0, chunk.length);
                            return out;
                        })
                        .map(out -> Map.entry(response, out.toByteArray()))))
                .assertNext(answer -> {
                    assertThat(answer.getKey().contentType()).startsWith("image/");
                    assertThat(answer.getKey().requestId()).isPresent();
                    assertThat(answer.getValue()).isEqualTo(big);
                })
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void aV1ImageStreamsToAFileThatAppearsWhole() throws Exception {
        byte[] big = new byte[8 * 1024 * 1024];
        new Random(5).nextBytes(big);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 0, big, 0, 4);
        tenant.scriptNext("flux-schnell", 1, JobScript.completes().withImages(big));
        Path target = dir.resolve("v1.png");
        StepVerifier.create(client.runSync(generic(), target))
                .assertNext(response -> assertThat(response.size()).isEqualTo(big.length))
                .expectComplete()
                .verify(VERIFY);
        assertThat(Files.readAllBytes(target)).isEqualTo(big);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void anUploadedFileWorksAsAnImageInput() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png);
        Path file = Files.write(dir.resolve("style.png"), png.toByteArray());
        StepVerifier.create(client.upload(file)
                        .flatMap(urls -> client.styleTransfer(new StyleTransferRequest().styleImage(urls.get(0)))))
                .assertNext(result -> assertThat(result.status()).isEqualTo(JobStatus.COMPLETED))
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void theSubscribersContextReachesTheRequestAsHeadersButNeverReplacesTheKey() throws Exception {
        List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/v1/get-user-credits", exchange -> {
            seen.add(Map.copyOf(exchange.getRequestHeaders()));
            byte[] body = "{\"credits\": 5, \"free-credits\": 1}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        try (ReactiveSegmindClient traced = ReactiveSegmindClient.builder().apiKey("SG_0123456789abcdef")
                .baseUrl("http://localhost:" + api.getAddress().getPort())
                .contextHeaders(context -> Map.of("x-trace-id", context.getOrDefault("trace", "none"), "x-api-key", "stolen"))
                .build()) {
            StepVerifier.create(traced.credits().contextWrite(Context.of("trace", "t-42")))
                    .assertNext(balance -> assertThat(balance.credits()).isEqualTo(5.0))
                    .expectComplete()
                    .verify(VERIFY);
        } finally {
            api.stop(0);
        }
        assertThat(seen).singleElement().satisfies(headers -> {
            assertThat(headers.get("X-trace-id")).containsExactly("t-42");
            assertThat(headers.get("X-api-key")).containsExactly("SG_0123456789abcdef");
        });
    }

    @Test
    void twoHundredJobsRunConcurrentlyOnOneClient() {
        StepVerifier.create(Flux.range(0, 200).flatMap(i -> client.run(generic()), 200).map(InferenceResult::status).distinct())
                .expectNext(JobStatus.COMPLETED)
                .expectComplete()
                .verify(VERIFY);
        tenant.journal().assertPaidSubmits(200);
        tenant.journal().assertNoPollAfterTerminal();
    }

    @Test
    void anEmptyUploadIsRefusedWithoutSendingAnything() {
        StepVerifier.create(client.upload()).expectError(IllegalArgumentException.class).verify(VERIFY);
        StepVerifier.create(Mono.defer(() -> client.upload(dir.resolve("missing.png"))))
                .expectError(IllegalArgumentException.class).verify(VERIFY);
        assertThat(tenant.journal().entries()).isEmpty();
    }
}
