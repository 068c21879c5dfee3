package dev.segmindkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.UnexpectedStatusException;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secret hygiene, written once for both clients (issue 8, part 4; docs/ARCHITECTURE.md section 3,
 * "Secrets"). Each test runs client paths with a canary API key (the tenant's own, unique to the
 * test) while {@link RecordingLogs} captures every log line at DEBUG and below, keeps every value
 * and exception the user could hold, and then proves the canary appears in none of: the log lines;
 * the {@code toString()} of the config, the client, handles, results and other values; any
 * exception's whole printed trace (messages, causes, suppressed); and any request that reached an
 * origin other than the base URL ({@link RecordingOrigin}s: a media host, a redirect's target).
 * Plain {@code http://} base URLs are refused unless the host is loopback.
 *
 * <p>The fake is made to echo the key back in its error messages and job errors, as a careless
 * gateway might: the clients must still never show it.
 */
public abstract class SecretHygieneSuite {
    private static FakeSegmindServer server;
    private static RecordingOrigin elsewhere;

    private ManualClock clock;
    private Tenant tenant;
    private String canary;
    private final List<ClientAdapter> clients = new ArrayList<>();
    /** Every value a user could hold, whose toString must not show the key. */
    private final List<Object> held = new ArrayList<>();
    /** Every exception a user got, whose whole trace must not show the key. */
    private final List<Throwable> thrown = new ArrayList<>();

    @TempDir
    protected Path dir;

    /** How this module makes its clients. */
    protected abstract ClientFactory clients();

    @BeforeAll
    static void startServers() {
        server = FakeSegmindServer.start();
        elsewhere = RecordingOrigin.serving();
    }

    @AfterAll
    static void stopServers() {
        server.close();
        elsewhere.close();
    }

    @BeforeEach
    void newCanaryTenant() {
        clock = new ManualClock();
        tenant = server.newTenant(clock);
        canary = tenant.apiKey();
        elsewhere.clear();
        RecordingLogs.clear();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ClientAdapter::close);
    }

    private SegmindConfig.Builder config() {
        return SegmindConfig.builder().apiKey(canary).baseUrl(server.baseUrl()).timeSource(clock);
    }

    private ClientAdapter client(SegmindConfig config) {
        ClientAdapter c = clients().newClient(config, clock);
        clients.add(c);
        held.add(config);
        held.add(c);
        return c;
    }

    private ClientAdapter client() {
        return clients.isEmpty() ? client(config().build()) : clients.get(0);
    }

    private <T> T hold(T value) {
        held.add(value);
        return value;
    }

    /** Runs a call that must fail, keeps its exception and returns it. */
    private Throwable failure(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("the call was meant to fail").isNotNull();
        thrown.add(t);
        return t;
    }

    private static ModelRequest style() {
        return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/style.png").prompt("a lighthouse")
                .seed(7L));
    }

    private static ModelRequest material() {
        return ModelRequest.materialTransfer(new MaterialTransferRequest().materialImage("https://example.com/marble.png")
                .subjectImage("https://example.com/bust.png"));
    }

    /** The proof every test ends with. */
    private void assertTheKeyNeverLeaked() {
        assertThat(RecordingLogs.lines()).as("DEBUG logging was captured").isNotEmpty()
                .as("log lines").noneMatch(line -> line.contains(canary));
        for (Object value : held) {
            assertThat(String.valueOf(value)).as("toString of %s", value.getClass().getName()).doesNotContain(canary);
        }
        for (Throwable t : thrown) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            // The printed trace holds every message and toString of the cause chain and of every
            // suppressed exception; getLocalizedMessage is checked on its own in case it differs.
            assertThat(trace.toString()).as("the whole trace of %s", t).doesNotContain(canary);
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getLocalizedMessage())).doesNotContain(canary);
            }
        }
        for (RecordingOrigin.Request r : elsewhere.requests()) {
            assertThat(r.everything()).as("a request to another origin").doesNotContain(canary);
            assertThat(r.headers().keySet()).noneMatch(k -> k.equalsIgnoreCase("x-api-key") || k.equalsIgnoreCase("authorization"));
        }
    }

    // ---- the paths ----

    @Test
    void aWholeJobWithStatusChangesSubmitStatusResultAwaitAndWatch() {
        InferenceResult run = hold(client().run(style()));
        hold(client().statusChanges());
        String id = client().submit(material());
        hold(JobHandle.of(id));
        hold(client().status(id));
        hold(client().result(id));
        hold(client().await(id, PollingPolicy.defaults()));
        String watched = client().submit(style());
        List<StatusUpdate> updates = hold(client().watch(watched, PollingPolicy.defaults()));
        assertThat(updates).isNotEmpty();
        assertThat(run.outputs()).isNotEmpty();
        hold(client().download(run.outputs().get(0)));
        assertTheKeyNeverLeaked();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 401, 403, 404, 405, 406, 410, 422, 429, 500, 502, 503, 504})
    void eachHttpErrorEvenOneEchoingTheKeyNeverShowsIt(int status) {
        String echo = "refused for key " + canary + " (x-api-key: " + canary + ")";
        ClientAdapter noRetries = client(config().retryPolicy(RetryPolicy.none()).build());
        for (Phase phase : List.of(Phase.SUBMIT, Phase.STATUS, Phase.RESULT, Phase.CREDITS, Phase.V1, Phase.UPLOAD)) {
            tenant.inject(phase, Fault.status(status, echo).always());
        }
        String id = "00000000-0000-0000-0000-000000000000";
        List<ThrowingCallable> calls = List.of(() -> noRetries.submit(style()), () -> noRetries.status(id), () -> noRetries.result(id),
                noRetries::credits, () -> noRetries.runSync(style()), () -> noRetries.upload(png()));
        for (ThrowingCallable call : calls) {
            Throwable t = failure(call);
            assertThat(t).isInstanceOf(SegmindApiException.class);
            assertThat(((SegmindApiException) t).status()).isEqualTo(status);
            if (status != 405) {
                // The service's message still comes through, with the key masked.
                assertThat(((SegmindApiException) t).errorMessage()).startsWith("refused for key ").contains("****");
            }
        }
        assertTheKeyNeverLeaked();
    }

    @Test
    void retriedSubmitsAndPollsLogTheirRetriesWithoutTheKey() {
        String echo = "busy, key " + canary;
        tenant.inject(Phase.SUBMIT, Fault.status(503, echo).times(1));
        tenant.inject(Phase.SUBMIT, Fault.rateLimited(Duration.ofSeconds(2)).times(1));
        tenant.inject(Phase.STATUS, Fault.status(503, echo).times(2));
        tenant.inject(Phase.STATUS, Fault.rateLimited(Duration.ofSeconds(3)).times(1));
        tenant.inject(Phase.RESULT, Fault.status(429, echo).times(1));
        hold(client().run(style()));
        assertThat(RecordingLogs.lines()).anyMatch(line -> line.contains("503") || line.contains("Retry"));
        assertTheKeyNeverLeaked();
    }

    @Test
    void aFailedJobWhoseErrorEchoesTheKeyNeverShowsIt() {
        tenant.scriptNext("style-transfer", JobScript.fails("CUDA out of memory (key " + canary + ")"));
        Throwable t = failure(() -> client().run(style()));
        assertThat(t).isInstanceOf(InferenceFailedException.class);
        assertThat(((InferenceFailedException) t).error()).startsWith("CUDA out of memory");
        String id = ((InferenceFailedException) t).requestId().orElseThrow();
        hold(client().status(id));
        failure(() -> client().result(id));
        failure(() -> client().await(id, PollingPolicy.defaults()));
        hold(client().watch(id, PollingPolicy.defaults()));
        assertTheKeyNeverLeaked();
    }

    @Test
    void aTimeoutAfterFailingPollsCarriesNoKeyInItsCauses() {
        tenant.inject(Phase.STATUS, Fault.status(503, "overloaded, key " + canary).always());
        String id = client().submit(material());
        Throwable t = failure(() -> client().await(id, PollingPolicy.defaults().withDeadline(Duration.ofSeconds(20))));
        assertThat(t).isInstanceOf(InferenceTimeoutException.class);
        assertTheKeyNeverLeaked();
    }

    @Test
    void v1ToBytesAndToAFileUploadsAndCredits() throws Exception {
        hold(client().runSync(style()));
        Path target = dir.resolve("out.webp");
        hold(client().runSync(style(), target));
        assertThat(Files.size(target)).isPositive();
        List<String> urls = hold(client().upload(png()));
        hold(client().download(urls.get(0)));
        hold(client().credits());
        assertTheKeyNeverLeaked();
    }

    @Test
    void aSubmitWhoseAnswerIsLostAndAnApiThatIsGoneShowNoKey() {
        tenant.inject(Phase.SUBMIT, Fault.disconnectAfterHandling());
        assertThat(failure(() -> client().submit(style()))).isInstanceOf(SubmitOutcomeUnknownException.class);
        RecordingOrigin gone = RecordingOrigin.serving();
        String goneUrl = gone.baseUrl().toString();
        gone.close();
        ClientAdapter unreachable = client(config().baseUrl(goneUrl).retryPolicy(RetryPolicy.none()).build());
        assertThat(failure(unreachable::credits)).isInstanceOf(SegmindException.class);
        assertThat(failure(() -> unreachable.submit(style()))).isInstanceOf(SegmindException.class);
        assertTheKeyNeverLeaked();
    }

    @Test
    void outputsHostedOnAnotherOriginAreFetchedWithoutTheKey() {
        tenant.scriptNext("style-transfer", JobScript.completes().withOutput(elsewhere.url("/media/out.png")));
        InferenceResult result = hold(client().run(style()));
        assertThat(result.outputs()).containsExactly(elsewhere.url("/media/out.png"));
        assertThat(client().download(result.outputs().get(0))).isEqualTo(RecordingOrigin.IMAGE);
        assertThat(client().download(elsewhere.url("/any/other.png"))).isEqualTo(RecordingOrigin.IMAGE);
        assertThat(elsewhere.requests()).extracting(RecordingOrigin.Request::path).containsExactly("/media/out.png", "/any/other.png");
        assertTheKeyNeverLeaked();
    }

    @ParameterizedTest(name = "HTTP {0} to another origin")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectFromTheApiToAnotherOriginIsNeverFollowedWithTheKey(int status) {
        try (RecordingOrigin api = RecordingOrigin.redirectingTo(elsewhere, status)) {
            ClientAdapter redirected = client(config().baseUrl(api.baseUrl().toString()).retryPolicy(RetryPolicy.none()).build());
            String id = "00000000-0000-0000-0000-000000000000";
            List<ThrowingCallable> calls = List.of(() -> redirected.submit(style()), () -> redirected.status(id),
                    () -> redirected.result(id), redirected::credits, () -> redirected.runSync(style()),
                    () -> redirected.runSync(style(), dir.resolve("never.png")), () -> redirected.upload(png()));
            for (ThrowingCallable call : calls) {
                Throwable t = failure(call);
                // A redirect from the API is not followed: it arrives as what it is, typed.
                assertThat(t).isInstanceOf(UnexpectedStatusException.class);
                assertThat(((SegmindApiException) t).status()).isEqualTo(status);
            }
            assertThat(api.requests()).hasSize(calls.size()).allSatisfy(r -> assertThat(r.headers().get("X-api-key")).containsExactly(canary));
            assertThat(elsewhere.requests()).as("requests that followed the redirect").isEmpty();
        }
        assertTheKeyNeverLeaked();
    }

    // ---- configuration ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://localhost:%d", "http://LOCALHOST:%d", "http://127.0.0.1:%d", "http://127.1.2.3:%d", "http://[::1]:%d",
        "https://api.segmind.com", "https://10.1.2.3:8443"})
    void plainHttpIsAllowedOnlyToLoopbackAndHttpsAnywhere(String pattern) throws Exception {
        String url = String.format(pattern, server.port());
        clients().buildWith(canary, url).close();
        assertThat(SegmindConfig.builder().apiKey(canary).baseUrl(url).build().baseUrl().getScheme()).isIn("http", "https");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://api.segmind.com", "http://10.1.2.3:8080", "http://192.168.0.2", "http://[2001:db8::1]",
        "http://localhost.attacker.example", "http://127.0.0.1.nip.io", "http://0.0.0.0:8080"})
    void plainHttpToAnyOtherHostIsRefusedWithoutShowingTheKey(String url) {
        Throwable t = failure(() -> clients().buildWith(canary, url).close());
        assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain http").hasMessageContaining("https");
        assertThatThrownBy(() -> SegmindConfig.builder().apiKey(canary).baseUrl(url)).isInstanceOf(IllegalArgumentException.class);
        for (Throwable e : thrown) {
            assertThat(String.valueOf(e.getMessage())).doesNotContain(canary);
        }
    }

    @Test
    void aKeyPutWhereTheBaseUrlGoesIsNotEchoed() {
        Function<String, Throwable> build = url -> failure(() -> clients().buildWith(canary, url).close());
        assertThat(build.apply(canary)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
        assertThat(build.apply("https://" + canary + "@api.segmind.com")).isInstanceOf(IllegalArgumentException.class);
        assertThat(build.apply("https://api.segmind.com/?key=" + canary)).isInstanceOf(IllegalArgumentException.class);
        for (Throwable t : thrown) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(canary);
        }
    }

    /** A small real PNG file, new each call. */
    private Path png() {
        try {
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png);
            return Files.write(Files.createTempFile(dir, "style-", ".png"), png.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
