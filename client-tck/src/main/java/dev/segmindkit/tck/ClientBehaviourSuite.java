package dev.segmindkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.segmindkit.core.AuthenticationException;
import dev.segmindkit.core.BadRequestException;
import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.InsufficientCreditsException;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.ModelRetiredException;
import dev.segmindkit.core.NotFoundException;
import dev.segmindkit.core.PermissionDeniedException;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.ServerException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.core.UnexpectedStatusException;
import dev.segmindkit.core.ValidationException;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.OutputFormat;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.Journal;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every segmindkit client promises, written once (as Feign's {@code AbstractClientTest}):
 * each client module subclasses this with a {@link #newClient} that wraps its client in a {@link
 * ClientAdapter}. Runs against the testkit's fake server; each test gets its own tenant on a
 * {@link ManualClock} that is also the client's time source, so ten-minute jobs finish in
 * milliseconds and nothing sleeps.
 *
 * <p>A reactive adapter must make the client's delays advance that clock (its scheduler's waits
 * become {@code clock.sleep}), as the blocking client's {@code TimeSource} does.
 */
public abstract class ClientBehaviourSuite {
    private static FakeSegmindServer server;

    protected ManualClock clock;
    protected Tenant tenant;
    private ClientAdapter client;

    @TempDir
    protected Path dir;

    /**
     * A client for this config: its base URL is the fake's, its key the tenant's, its time source
     * {@code clock}. Called once or more per test; the suite closes what it gets.
     */
    protected abstract ClientAdapter newClient(SegmindConfig config, ManualClock clock);

    @BeforeAll
    static void startServer() {
        server = FakeSegmindServer.builder().model("flux-schnell").start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newTenant() {
        clock = new ManualClock();
        tenant = server.newTenant(clock);
        RecordingLogs.clear();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    /** The default client of a test, created on first use. */
    protected ClientAdapter client() {
        if (client == null) {
            client = newClient(config().build(), clock);
        }
        return client;
    }

    protected SegmindConfig.Builder config() {
        return SegmindConfig.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl()).timeSource(clock);
    }

    protected Journal journal() {
        return tenant.journal();
    }

    protected static ModelRequest style() {
        return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/style.png").prompt("a lighthouse")
                .seed(7L));
    }

    protected static ModelRequest material() {
        return ModelRequest.materialTransfer(new MaterialTransferRequest().materialImage("https://example.com/marble.png")
                .subjectImage("https://example.com/bust.png"));
    }

    protected static ModelRequest generic() {
        return ModelRequest.of("flux-schnell", Map.of("prompt", "a red fox", "width", 64, "height", 48, "output_format", "png"));
    }

    private static BufferedImage decode(byte[] bytes) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("a decodable image").isNotNull();
        return image;
    }

    // ---- the lifecycle ----

    @Test
    void runsAStyleTransferEndToEndWithOnePaidSubmit() {
        InferenceResult result = client().run(style());
        assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(result.outputs()).hasSize(1);
        byte[] image = client().download(result.outputs().get(0));
        assertThat(new String(image, 0, 4)).isEqualTo("RIFF");
        assertThat(new String(image, 8, 4)).isEqualTo("WEBP");
        journal().assertPaidSubmits(1);
        journal().assertNoPollAfterTerminal();
    }

    @Test
    void runsAMaterialTransferOfAlmostThreeMinutesInVirtualTime() {
        InferenceResult result = client().run(material());
        assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(result.firstOutput()).isPresent();
        assertThat(Duration.between(ManualClock.DEFAULT_START, clock.now())).isGreaterThan(Duration.ofSeconds(160));
        journal().assertPaidSubmits(1);
        journal().assertNoPollAfterTerminal();
        // The default policy stays quiet for most of the spec's typical 164 s, then polls each second.
        assertThat(journal().entries(Phase.STATUS)).hasSizeLessThan(80);
    }

    @Test
    void runsAnyModelWithAMapOfParameters() throws Exception {
        InferenceResult result = client().run(generic());
        assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
        BufferedImage image = decode(client().download(result.firstOutput().orElseThrow()));
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(48);
    }

    @Test
    void severalImagesComeBackAsAListOfOutputs() {
        ModelRequest four = ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/s.png")
                .numberOfImages(4).outputFormat(OutputFormat.PNG).width(32).height(32));
        InferenceResult result = client().run(four);
        assertThat(result.outputs()).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void reportsEachStatusChangeInOrder() {
        client().run(style());
        assertThat(client().statusChanges()).extracting(StatusUpdate::status)
                .containsSubsequence(JobStatus.PROCESSING, JobStatus.COMPLETED).endsWith(JobStatus.COMPLETED).doesNotHaveDuplicates();
    }

    @Test
    void aSubmittedJobIsResumedByItsIdFromAnotherClient() {
        String id = client().submit(style());
        try (ClientAdapter other = newClient(config().build(), clock)) {
            assertThat(other.status(id).status()).isEqualTo(JobStatus.QUEUED);
            InferenceResult result = other.await(id, PollingPolicy.defaults());
            assertThat(result.requestId()).isEqualTo(id);
            assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
        }
        journal().assertPaidSubmits(1);
    }

    @Test
    void lookingOnceAtAnUnfinishedJobShowsItsStatusWithoutOutputs() {
        String id = client().submit(style());
        assertThat(client().result(id).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(client().result(id).outputs()).isEmpty();
    }

    @Test
    void aFailedJobIsAnInferenceFailedExceptionWithItsErrorAndId() {
        tenant.scriptNext("style-transfer", JobScript.fails("CUDA out of memory"));
        Throwable thrown = catchThrowable(() -> client().run(style()));
        assertThat(thrown).isInstanceOf(InferenceFailedException.class);
        InferenceFailedException failed = (InferenceFailedException) thrown;
        assertThat(failed.error()).isEqualTo("CUDA out of memory");
        assertThat(failed.requestId()).isPresent().get().isEqualTo(journal().submittedRequestIds().get(0));
        journal().assertNoPollAfterTerminal();
        assertThat(client().status(failed.requestId().get()).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aDeadlineGivesATimeoutWithTheIdAndResumingThenCompletes() {
        String id = client().submit(material());
        Throwable thrown = catchThrowable(() -> client().await(id, PollingPolicy.defaults().withDeadline(Duration.ofSeconds(30))));
        assertThat(thrown).isInstanceOf(InferenceTimeoutException.class);
        InferenceTimeoutException timeout = (InferenceTimeoutException) thrown;
        assertThat(timeout.requestId()).contains(id);
        assertThat(timeout.lastStatus().isTerminal()).isFalse();

        InferenceResult resumed = client().await(id, PollingPolicy.defaults());
        assertThat(resumed.status()).isEqualTo(JobStatus.COMPLETED);
        journal().assertPaidSubmits(1);
    }

    @Test
    void anExpiredRequestIdIsNotFound() {
        String id = client().submit(style());
        clock.advance(Duration.ofMinutes(61));
        assertThatThrownBy(() -> client().status(id)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Request " + id + " not found");
        assertThatThrownBy(() -> client().result(id)).isInstanceOf(NotFoundException.class);
    }

    // ---- faults and retries ----

    @Test
    void statusPollsRideThroughBurstsOf503And429WithExactlyOneSubmit() {
        tenant.inject(Phase.STATUS, Fault.status(503).times(3));
        tenant.inject(Phase.STATUS, Fault.rateLimited(Duration.ofSeconds(4)).times(2));
        tenant.inject(Phase.RESULT, Fault.status(502).times(1));
        InferenceResult result = client().run(style());
        assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
        journal().assertPaidSubmits(1);
        journal().assertRateLimitResetHonoured();
        journal().assertNoPollAfterTerminal();
    }

    @Test
    void malformedAndTruncatedStatusAnswersAreRetried() {
        tenant.inject(Phase.STATUS, Fault.malformedJson().times(1));
        tenant.inject(Phase.STATUS, Fault.truncatedJson().times(1));
        tenant.inject(Phase.STATUS, Fault.disconnect().times(1));
        assertThat(client().run(style()).status()).isEqualTo(JobStatus.COMPLETED);
        journal().assertPaidSubmits(1);
    }

    @Test
    void aSubmitWhoseAnswerIsLostIsNotSentAgain() {
        tenant.inject(Phase.SUBMIT, Fault.disconnectAfterHandling());
        Throwable thrown = catchThrowable(() -> client().submit(style()));
        assertThat(thrown).isInstanceOf(SubmitOutcomeUnknownException.class);
        assertThat(((SubmitOutcomeUnknownException) thrown).model()).isEqualTo("style-transfer");
        journal().assertPaidSubmits(1);
        assertThat(journal().entries(Phase.SUBMIT)).hasSize(1);
    }

    @Test
    void mediaDownloadsAreRetriedThroughTheClientsOwnTransport() {
        InferenceResult result = client().run(style());
        byte[] first = client().download(result.firstOutput().orElseThrow());
        tenant.inject(Phase.MEDIA, Fault.status(503).times(1));
        tenant.inject(Phase.MEDIA, Fault.disconnect().times(1));
        tenant.inject(Phase.MEDIA, Fault.truncatedBody().times(1));

        assertThat(client().download(result.firstOutput().orElseThrow())).isEqualTo(first);
        // One download before the faults, then three struck and the fourth attempt answered.
        assertThat(journal().entries(Phase.MEDIA)).hasSize(5);
        journal().assertPaidSubmits(1);
    }

    @Test
    void aMediaDownloadRefusedFor404IsNotRetried() {
        InferenceResult result = client().run(style());
        tenant.inject(Phase.MEDIA, Fault.status(404).times(1));
        assertThatThrownBy(() -> client().download(result.firstOutput().orElseThrow())).isInstanceOf(NotFoundException.class);
        assertThat(journal().entries(Phase.MEDIA)).hasSize(1);
    }

    @Test
    void aSubmitWithAMalformedAnswerIsNotSentAgain() {
        tenant.inject(Phase.SUBMIT, Fault.malformedJson());
        assertThatThrownBy(() -> client().submit(style())).isInstanceOf(SubmitOutcomeUnknownException.class);
        assertThat(journal().entries(Phase.SUBMIT)).hasSize(1);
    }

    @Test
    void aSubmitRefusedWith503Or429IsRetriedAndBilledOnce() {
        tenant.inject(Phase.SUBMIT, Fault.status(503).times(1));
        tenant.inject(Phase.SUBMIT, Fault.rateLimited(Duration.ofSeconds(2)).times(1));
        assertThat(client().run(style()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(journal().entries(Phase.SUBMIT)).hasSize(3);
        journal().assertPaidSubmits(1);
        journal().assertRateLimitResetHonoured();
    }

    @Test
    void aSubmitFailingWith500IsNotRetried() {
        tenant.inject(Phase.SUBMIT, Fault.status(500, "Internal error: bad width"));
        assertThatThrownBy(() -> client().submit(style())).isInstanceOf(ServerException.class)
                .hasMessageContaining("Internal error: bad width");
        assertThat(journal().entries(Phase.SUBMIT)).hasSize(1);
    }

    static Stream<Arguments> httpErrors() {
        return Stream.of(Arguments.of(400, BadRequestException.class), Arguments.of(401, AuthenticationException.class),
                Arguments.of(403, PermissionDeniedException.class), Arguments.of(404, NotFoundException.class),
                Arguments.of(405, UnexpectedStatusException.class), Arguments.of(406, InsufficientCreditsException.class),
                Arguments.of(410, ModelRetiredException.class), Arguments.of(429, RateLimitException.class),
                Arguments.of(500, ServerException.class), Arguments.of(502, ServerException.class),
                Arguments.of(503, ServerException.class), Arguments.of(504, ServerException.class));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @MethodSource("httpErrors")
    void eachHttpErrorArrivesAsItsTypeWithTheServersMessage(int status, Class<? extends SegmindApiException> type) {
        tenant.inject(Phase.SUBMIT, Fault.status(status, "the fake says " + status).always());
        try (ClientAdapter noRetries = newClient(config().retryPolicy(RetryPolicy.none()).build(), clock)) {
            Throwable thrown = catchThrowable(() -> noRetries.submit(style()));
            assertThat(thrown).isExactlyInstanceOf(type);
            SegmindApiException api = (SegmindApiException) thrown;
            assertThat(api.status()).isEqualTo(status);
            if (status != 405) {
                assertThat(api.errorMessage()).isEqualTo("the fake says " + status);
            }
        }
    }

    @Test
    void theServicesOwnRefusalsArriveTyped() {
        tenant.credits(0);
        assertThatThrownBy(() -> client().submit(style())).isInstanceOf(InsufficientCreditsException.class);
        tenant.credits(100).forbid("material-transfer");
        assertThatThrownBy(() -> client().submit(material())).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> client().submit(ModelRequest.of("no-such-model", Map.of()))).isInstanceOf(NotFoundException.class);
        try (ClientAdapter wrongKey = newClient(config().apiKey("SG_0000000000000000").build(), clock)) {
            assertThatThrownBy(() -> wrongKey.submit(style())).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("Unauthorized. API key is invalid or may have expired");
        }
    }

    @Test
    void invalidParametersAreRefusedBeforeAnythingIsSent() {
        ModelRequest bad = ModelRequest.styleTransfer(new StyleTransferRequest().numberOfImages(11));
        Throwable thrown = catchThrowable(() -> client().submit(bad));
        assertThat(thrown).isInstanceOf(ValidationException.class).hasMessageContaining("style_image is required")
                .hasMessageContaining("number_of_images must be between 1 and 10, got 11");
        assertThatThrownBy(() -> client().runSync(bad)).isInstanceOf(ValidationException.class);
        assertThat(journal().entries()).isEmpty();
    }

    // ---- v1, credits, uploads, downloads ----

    @Test
    void runSyncAnswersTheImageAndItsHeaders() throws Exception {
        SyncImage image = client().runSync(ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://e.com/s.png")
                .outputFormat(OutputFormat.PNG).width(40).height(30).seed(99L)));
        assertThat(image.response().contentType()).isEqualTo("image/png");
        assertThat(image.response().requestId()).isPresent();
        assertThat(image.response().cost()).isPresent();
        assertThat(image.response().remainingCredits()).isPresent();
        assertThat(image.response().seed()).hasValue(99L);
        assertThat(image.response().generationTime()).isPresent();
        BufferedImage decoded = decode(image.bytes());
        assertThat(decoded.getWidth()).isEqualTo(40);
        assertThat(decoded.getHeight()).isEqualTo(30);
    }

    @Test
    void aTwentyMegabyteV1ImageStreamsToAFile() throws Exception {
        byte[] big = new byte[20 * 1024 * 1024];
        new Random(1).nextBytes(big);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 0, big, 0, 4);
        tenant.scriptNext("style-transfer", JobScript.completes().withImages(big));
        Path target = dir.resolve("big.png");
        SyncResponse response = client().runSync(style(), target);
        assertThat(response.size()).isEqualTo(big.length);
        assertThat(Files.size(target)).isEqualTo(big.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(big);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void creditsAreReadAndSpentByJobs() {
        tenant.credits(10).freeCredits(1);
        CreditBalance before = client().credits();
        assertThat(before.credits()).isEqualTo(10.0);
        assertThat(before.freeCredits()).isEqualTo(1.0);
        client().run(style());
        CreditBalance after = client().credits();
        assertThat(after.credits() + after.freeCredits()).isLessThan(11.0);
    }

    @Test
    void uploadedFilesBecomeUrlsThatWorkAsImageInputs() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png);
        Path file = Files.write(dir.resolve("style.png"), png.toByteArray());
        List<String> urls = client().upload(file);
        assertThat(urls).hasSize(1);
        assertThat(client().download(urls.get(0))).isEqualTo(png.toByteArray());
        InferenceResult result = client().run(ModelRequest.styleTransfer(new StyleTransferRequest().styleImage(urls.get(0))));
        assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    }

    // Secrets (the key never in logs, toString, errors or another origin's requests) are proved
    // path by path in SecretHygieneSuite, which each client module runs too.

    /** Exposed for subclasses that add client-specific tests. */
    protected static FakeSegmindServer server() {
        return server;
    }

}
