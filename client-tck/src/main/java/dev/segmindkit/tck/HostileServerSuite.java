package dev.segmindkit.tck;

import static dev.segmindkit.tck.HostileServer.credits;
import static dev.segmindkit.tck.HostileServer.media;
import static dev.segmindkit.tck.HostileServer.results;
import static dev.segmindkit.tck.HostileServer.statusPolls;
import static dev.segmindkit.tck.HostileServer.v1Submits;
import static dev.segmindkit.tck.HostileServer.v2Submits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.model.StyleTransferRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What a broken or hostile server can do to a client (issue 12, "Hostile servers, in the
 * project"), written once for both clients. Each test runs a {@link HostileServer} (a raw loopback
 * socket) scripted to misbehave in one way, and holds the client to every promise the README
 * makes, at once:
 *
 * <ul>
 *   <li>the call ends in the typed {@link SegmindException} that says what happened (never a hang,
 *       an {@code OutOfMemoryError} or an untyped runtime exception);
 *   <li>within its time bound: the attempt's time-out covers headers and the whole body, a
 *       deadline is outlived by at most one second, and {@code close()} ends calls at once;
 *   <li>a submit that was sent is never sent again (the server counts the submits it received);
 *   <li>the API key, which the server echoes back wherever an answer can hold text, appears in no
 *       exception's trace, no {@code toString()} and no log line ({@link RecordingLogs});
 *   <li>once the client is closed, no thread it started ({@link ThreadCensus}) and no connection it
 *       opened (the server sees each one hung up) is left.
 * </ul>
 *
 * <p>Every test is bounded by a real-time {@link org.junit.jupiter.api.Assertions#assertTimeoutPreemptively},
 * so a client that hangs fails the test instead of the build. The clients run on real time with
 * small time-outs (see {@link #config()}), which keeps the suite to seconds. Oversized bodies are
 * generated while they are written. Nothing leaves loopback: where a case needs "an internal host
 * that is not the API's", it is a second server on {@code 127.0.0.2}, which the client must refuse
 * and which proves whether it was reached.
 *
 * <p>A client module subclasses this with a {@link #clients()} for its client. A test the client
 * does not pass yet is overridden there, calling this one, with {@code @Tag("hostile-known-failing")}
 * (the module's build leaves that tag out) and a comment saying how it fails: the list of promises
 * still broken, to be emptied as the fixes land.
 */
public abstract class HostileServerSuite {
    /** The attempt time-out of every client here. */
    protected static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    /** The polling deadline of every client here. */
    protected static final Duration DEADLINE = Duration.ofSeconds(2);
    /** How long past a promised bound a call may take: scheduling, a GC, a slow CI machine. */
    protected static final Duration SLACK = Duration.ofMillis(1_000);
    /** Attempts per request (the first included). */
    protected static final int ATTEMPTS = 3;
    /** The longest a single call may take with every attempt timing out. */
    protected static final Duration ALL_ATTEMPTS = REQUEST_TIMEOUT.multipliedBy(ATTEMPTS).plus(Duration.ofMillis(200));
    /** The real-time bound of a whole test: a hang fails it. */
    private static final Duration TEST_BOUND = Duration.ofSeconds(15);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final long BIG = 200L * 1024 * 1024;

    private HostileServer server;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final List<ClientAdapter> clients = new ArrayList<>();
    private final List<Object> held = new ArrayList<>();
    private final List<Throwable> thrown = new ArrayList<>();
    private String key;

    /** How this module makes its clients. */
    protected abstract ClientFactory clients();

    @BeforeEach
    void startServer() {
        server = HostileServer.start();
        key = "SG_" + HexFormat.of().formatHex(ThreadLocalRandom.current().ints(8, 0, 256).collect(ByteArrayOutputStream::new,
                (o, b) -> o.write(b), (a, b) -> a.write(b.toByteArray(), 0, b.size())).toByteArray());
        RecordingLogs.clear();
    }

    @AfterEach
    void stopEverything() {
        clients.forEach(ClientAdapter::close);
        clients.clear();
        server.close();
        for (AutoCloseable c : closeAfter) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    // ---- the harness ----

    /** The config of every client here: real time, small time-outs, quick retries. */
    protected SegmindConfig.Builder config() {
        return SegmindConfig.builder().apiKey(key).baseUrl(server.baseUrl()).timeSource(TimeSource.system())
                .connectTimeout(Duration.ofSeconds(1))
                .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(20)).withDeadline(DEADLINE).withRequestTimeout(REQUEST_TIMEOUT))
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(ATTEMPTS).withInitialBackoff(Duration.ofMillis(10))
                        .withMaxBackoff(Duration.ofMillis(50)));
    }

    private ClientAdapter client(UnaryOperator<SegmindConfig.Builder> change) {
        SegmindConfig config = change.apply(config()).build();
        ClientAdapter c = clients().newRealTimeClient(config);
        clients.add(c);
        held.add(config);
        held.add(c);
        return c;
    }

    private ClientAdapter client() {
        return clients.isEmpty() ? client(b -> b) : clients.get(0);
    }

    private static ModelRequest style() {
        return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/style.png").prompt("a lighthouse")
                .seed(7L));
    }

    /**
     * Runs a test body bounded in real time, then proves the promises every test shares: the key
     * nowhere, and once the clients are closed, none of their threads and no connection left.
     */
    private void hostile(Executable body) {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            ThreadCensus census = ThreadCensus.take();
            body.execute();
            assertTheKeyNeverShows();
            for (ClientAdapter c : clients) {
                c.close();
            }
            clients.clear();
            List<String> left = census.awaitNewThreadsEnded(t -> notTheClients(t) || RELEASED_ON_GC && isJdkSelector(t), SETTLE,
                    System::gc);
            assertThat(left).as("threads the closed client left running").isEmpty();
            if (!RELEASED_ON_GC) {
                assertThat(server.awaitNoOpenConnections(SETTLE, System::gc)).as("connections the closed client left open: %d",
                        server.openConnections()).isTrue();
            }
        }, "a call did not end in time: the client hung");
    }

    /**
     * On JDK 17 to 20 a {@code java.net.http} client cannot be closed: its selector thread (and the
     * connections it holds) end once the client is collected, at the selector's next wake-up, up to
     * 3 s later; {@code SyncClientHygieneTest} proves that release. Here each test checks the
     * client's other threads on those JDKs; from JDK 21 the client is shut down at once and each
     * test checks its threads and connections whole (the build's JDK 25 run).
     */
    private static final boolean RELEASED_ON_GC = Runtime.version().feature() < 21;

    private static boolean isJdkSelector(Thread t) {
        return t.getName().matches("HttpClient-\\d+-SelectorManager");
    }

    /** Threads that are not a client's own: the servers', JUnit's, the JVM's, Reactor's shared ones. */
    private static boolean notTheClients(Thread t) {
        String n = t.getName();
        return HostileServer.isServerThread(t) || n.startsWith("junit-timeout") || n.startsWith("ForkJoinPool.commonPool")
                || n.startsWith("Common-Cleaner") || n.matches("(parallel|boundedElastic|boundedElastic-evictor)-\\d+")
                || n.matches("reactor-http-(epoll|nio|kqueue)-\\d+") || n.startsWith("process reaper")
                // The JVM's own virtual-thread scheduler (JDK 21+), shared by every virtual thread.
                || n.matches("ForkJoinPool-\\d+-worker-\\d+") || n.equals("VirtualThread-unblocker") || n.matches("(Read|Write)-Poller");
    }

    /**
     * Runs a call that must fail with {@code type} within {@code within}, keeps its exception for
     * the key check and returns it.
     */
    private <T extends Throwable> T fails(Class<T> type, Duration within, ThrowingCallable call) {
        long start = System.nanoTime();
        Throwable t = catchThrowable(call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (t != null) {
            thrown.add(t);
        }
        assertThat(t).as("the call was meant to fail, and took %s", took).isNotNull();
        assertThat(t).as("the failure, after %s", took).isInstanceOf(type);
        assertThat(took).as("how long the call took to fail with %s", t).isLessThanOrEqualTo(within.plus(SLACK));
        return type.cast(t);
    }

    /** Runs a call that must succeed within {@code within}; a failure's trace is kept for the key check. */
    private <T> T succeeds(Duration within, java.util.concurrent.Callable<T> call) throws Exception {
        long start = System.nanoTime();
        try {
            T value = call.call();
            held.add(value);
            return value;
        } catch (Exception | Error e) {
            thrown.add(e);
            throw e;
        } finally {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("how long the call took").isLessThanOrEqualTo(within.plus(SLACK));
        }
    }

    private void assertTheKeyNeverShows() {
        assertThat(RecordingLogs.lines().stream().filter(line -> line.contains(key)).toList()).as("log lines showing the key").isEmpty();
        for (Object value : held) {
            assertThat(String.valueOf(value)).as("toString of a %s", value == null ? null : value.getClass().getName())
                    .doesNotContain(key);
        }
        for (Throwable t : thrown) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).as("the whole trace of %s", t.getClass().getName()).doesNotContain(key);
            if (t instanceof SegmindApiException) {
                SegmindApiException api = (SegmindApiException) t;
                assertThat(api.errorMessage()).as("the error message").doesNotContain(key);
                assertThat(String.valueOf(api.headers())).as("the headers of the error").doesNotContain(key);
            }
        }
    }

    private void assertSubmitsReceived(int n) {
        assertThat(server.submitCount()).as("submits the server received: a sent submit is never re-sent").isEqualTo(n);
    }

    /** The failure names the job. */
    private static void namesTheJob(Throwable t, String id) {
        assertThat(((SegmindException) t).requestId()).as("the job the error is about, in %s", t).contains(id);
    }

    private String id() {
        return server.jobId();
    }

    /** A response head announcing a JSON body of {@code length} bytes. */
    private static String jsonHead(int status, long length, String... extra) {
        return HostileServer.head(status, "application/json", length, extra);
    }

    // ---- stalls and drips: the attempt time-out covers the whole body ----

    @Test
    protected void aSubmitWhoseAnswerStallsAfterItsHeadersIsOutcomeUnknownAndNeverResent() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> {
                c.write(jsonHead(200, server.submitAnswer().length()));
                c.stall();
            });
            fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aSubmitWhoseAnswerDripsIsOutcomeUnknownWithinTheRequestTimeout() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> c.drip(HostileServer.wholeAnswer(200, "application/json",
                    server.submitAnswer().getBytes(StandardCharsets.UTF_8)), Duration.ofMillis(40)));
            fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aSubmitWhoseHeadersDripIsOutcomeUnknownWithinTheRequestTimeout() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> c.drip(jsonHead(200, 10).getBytes(StandardCharsets.ISO_8859_1), Duration.ofMillis(40)));
            fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aStatusBodyThatStallsEndsTheWaitByItsDeadline() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> {
                c.write(jsonHead(200, 200));
                c.write("{\"request_id\":");
                c.stall();
            });
            InferenceTimeoutException e = fails(InferenceTimeoutException.class, DEADLINE,
                    () -> client().await(id(), policy()));
            namesTheJob(e, id());
        });
    }

    @Test
    protected void aStatusBodyThatDripsEndsTheWaitByItsDeadline() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> c.drip(HostileServer.wholeAnswer(200, "application/json",
                    server.statusAnswer("COMPLETED").getBytes(StandardCharsets.UTF_8)), Duration.ofMillis(50)));
            namesTheJob(fails(InferenceTimeoutException.class, DEADLINE, () -> client().await(id(), policy())), id());
        });
    }

    @Test
    protected void aResultBodyThatStallsFailsTypedWithinItsAttempts() {
        hostile(() -> {
            server.on(results(), (r, c) -> {
                c.write(jsonHead(200, 500));
                c.write("{\"status\":\"COMPL");
                c.stall();
            });
            namesTheJob(fails(SegmindIOException.class, ALL_ATTEMPTS, () -> client().result(id())), id());
        });
    }

    @Test
    protected void anErrorBodyThatStallsEndsTheWaitByItsDeadline() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> {
                c.write(jsonHead(503, 1_000));
                c.write("{\"error\":\"overloa");
                c.stall();
            });
            namesTheJob(fails(InferenceTimeoutException.class, DEADLINE, () -> client().await(id(), policy())), id());
        });
    }

    @Test
    protected void aV1ImageThatStallsMidBodyFailsWithinTheDeadlineAndIsNotResent() {
        hostile(() -> {
            server.on(v1Submits(), (r, c) -> {
                c.write(HostileServer.head(200, "image/jpeg", 100_000));
                c.write(new byte[1_000]);
                c.stall();
            });
            fails(SegmindException.class, DEADLINE, () -> client().runSync(style()));
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aMediaDownloadThatStallsMidBodyFailsTyped() {
        hostile(() -> {
            server.on(media(), (r, c) -> {
                c.write(HostileServer.head(200, "image/png", 100_000));
                c.write(new byte[1_000]);
                c.stall();
            });
            // A download's attempt time-out is twice the request time-out in both clients.
            fails(SegmindIOException.class, ALL_ATTEMPTS.multipliedBy(2), () -> client().download(server.url("/media/out.png")));
        });
    }

    @Test
    protected void creditsThatDripFailTypedWithinTheirAttempts() {
        hostile(() -> {
            server.on(credits(), (r, c) -> c.drip(HostileServer.wholeAnswer(200, "application/json",
                    "{\"credits\":12.5,\"free-credits\":0}".getBytes(StandardCharsets.UTF_8)), Duration.ofMillis(60)));
            fails(SegmindIOException.class, ALL_ATTEMPTS, () -> client().credits());
        });
    }

    // ---- lies about lengths, broken chunks ----

    @Test
    protected void aSubmitAnswerLongerThanItsBodyIsOutcomeUnknown() {
        hostile(() -> {
            int sent = 0;
            for (int more : new int[] {1, 1_000}) {
                server.on(v2Submits(), (r, c) -> {
                    byte[] body = server.submitAnswer().getBytes(StandardCharsets.UTF_8);
                    c.write(jsonHead(200, body.length + more));
                    c.write(body);
                    c.close();
                });
                fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
                assertSubmitsReceived(++sent);
            }
        });
    }

    @Test
    protected void aSubmitAnswerShorterThanItsBodyIsOutcomeUnknown() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> {
                byte[] body = server.submitAnswer().getBytes(StandardCharsets.UTF_8);
                c.write(jsonHead(200, body.length / 2));
                c.write(body);
            });
            fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aStatusAnswerThatLiesAboutItsLengthOnceIsRiddenThrough() {
        hostile(() -> {
            server.on(statusPolls(), 1, (r, c) -> {
                byte[] body = server.statusAnswer("COMPLETED").getBytes(StandardCharsets.UTF_8);
                c.write(jsonHead(200, body.length + 50));
                c.write(body);
                c.close();
            });
            InferenceResult result = succeeds(DEADLINE, () -> client().run(style()));
            assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aSubmitAnswerWithCorruptChunksIsOutcomeUnknown() {
        hostile(() -> {
            int sent = 0;
            for (String chunks : List.of("zz\r\n{}\r\n0\r\n\r\n", "5\r\n{\"req\r\n", "ffffffffffffffffff\r\n{", "-1\r\n{}\r\n0\r\n\r\n",
                    "3\r\n{}\r\n\r\n0\r\n\r\n")) {
                server.on(v2Submits(), (r, c) -> {
                    c.write(HostileServer.head(200, "application/json", -1, "Transfer-Encoding: chunked"));
                    c.write(chunks);
                    c.close();
                });
                fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
                assertSubmitsReceived(++sent);
            }
        });
    }

    @Test
    protected void aStatusAnswerWithCorruptChunksOnceIsRiddenThrough() {
        hostile(() -> {
            server.on(statusPolls(), 1, (r, c) -> {
                c.write(HostileServer.head(200, "application/json", -1, "Transfer-Encoding: chunked"));
                c.write("zz\r\n{\"status\":\"COMPLETED\"}\r\n0\r\n\r\n");
                c.close();
            });
            assertThat(succeeds(DEADLINE, () -> client().run(style())).status()).isEqualTo(JobStatus.COMPLETED);
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aSubmitAnswerWithBothLengthAndChunkingIsNeverResent() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> {
                String body = server.submitAnswer();
                c.write(HostileServer.head(200, "application/json", 5, "Transfer-Encoding: chunked"));
                c.write(Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
            });
            Throwable t = catchThrowable(() -> client().submit(style()));
            if (t != null) {
                thrown.add(t);
                assertThat(t).isInstanceOf(SubmitOutcomeUnknownException.class);
            }
            assertSubmitsReceived(1);
        });
    }

    // ---- oversized bodies and headers: limits, never OutOfMemoryError ----

    /** A JSON body of about 200 MB, a string value padding it, generated as it is written. */
    private void bigJson(HostileServer.Conversation c, int status, String before, String after, boolean chunked) throws IOException {
        byte[] prefix = before.getBytes(StandardCharsets.UTF_8);
        byte[] suffix = after.getBytes(StandardCharsets.UTF_8);
        if (chunked) {
            // One endless chunk announced as about 200 MB: a body with no Content-Length at all.
            c.write(HostileServer.head(status, "application/json", -1, "Transfer-Encoding: chunked"));
            c.write(Long.toHexString(prefix.length + BIG + suffix.length) + "\r\n");
            c.stream(prefix, (byte) 'a', BIG, suffix);
            c.write("\r\n0\r\n\r\n");
        } else {
            c.write(jsonHead(status, prefix.length + BIG + suffix.length));
            c.stream(prefix, (byte) 'a', BIG, suffix);
        }
    }

    private void assertNotReadWhole() {
        // Bytes written before the client hung up: a socket buffers a few megabytes at most.
        assertThat(server.writtenPerConnection()).as("bytes the client let the server write, per connection")
                .allSatisfy(n -> assertThat(n).isLessThan(BIG / 4));
    }

    @Test
    protected void aStatusBodyOf200MegabytesFailsTypedWithoutBeingReadWhole() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> bigJson(c, 200, "{\"request_id\":\"" + id() + "\",\"status\":\"PROCESSING\",\"pad\":\"",
                    "\"}", false));
            namesTheJob(fails(SegmindException.class, ALL_ATTEMPTS, () -> client().status(id())), id());
            assertNotReadWhole();
        });
    }

    @Test
    protected void aResultBodyOf200MegabytesChunkedFailsTypedWithoutBeingReadWhole() {
        hostile(() -> {
            server.on(results(), (r, c) -> bigJson(c, 200, "{\"status\":\"COMPLETED\",\"output\":\"", "\"}", true));
            namesTheJob(fails(SegmindException.class, ALL_ATTEMPTS, () -> client().result(id())), id());
            assertNotReadWhole();
        });
    }

    @Test
    protected void aSubmitAnswerOf200MegabytesIsOutcomeUnknownWithoutBeingReadWhole() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> bigJson(c, 200, "{\"request_id\":\"" + id() + "\",\"status\":\"QUEUED\",\"pad\":\"", "\"}",
                    false));
            fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertSubmitsReceived(1);
            assertNotReadWhole();
        });
    }

    @Test
    protected void anErrorBodyOf200MegabytesFailsTypedWithoutBeingReadWhole() {
        hostile(() -> {
            server.on(credits(), (r, c) -> bigJson(c, 500, "{\"error\":\"", "\"}", false));
            fails(SegmindException.class, ALL_ATTEMPTS, () -> client().credits());
            assertNotReadWhole();
        });
    }

    @Test
    protected void headersOfManyMegabytesFailTyped() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> {
                c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
                String line = "X-Pad: " + "p".repeat(8_000) + "\r\n";
                for (int i = 0; i < 1_000; i++) {
                    c.write(line);
                }
                byte[] body = server.statusAnswer("COMPLETED").getBytes(StandardCharsets.UTF_8);
                c.write("Content-Length: " + body.length + "\r\n\r\n");
                c.write(body);
            });
            namesTheJob(fails(SegmindException.class, ALL_ATTEMPTS, () -> client().status(id())), id());
            assertNotReadWhole();
        });
    }

    @Test
    protected void oneHeaderOfAMegabyteFailsTyped() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> {
                byte[] body = server.statusAnswer("COMPLETED").getBytes(StandardCharsets.UTF_8);
                c.write(jsonHead(200, body.length, "X-Pad: " + "p".repeat(1024 * 1024)));
                c.write(body);
            });
            namesTheJob(fails(SegmindException.class, ALL_ATTEMPTS, () -> client().status(id())), id());
        });
    }

    // ---- the key echoed back wherever an answer can hold text ----

    @Test
    protected void theKeyEchoedInAnHtmlStatusBodyIsNeverShown() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> c.answer(200, "text/html", ("<html><body>Welcome " + r.apiKey()
                    + "! Your key " + r.apiKey() + " is fine.</body></html>").getBytes(StandardCharsets.UTF_8)));
            namesTheJob(fails(SegmindException.class, ALL_ATTEMPTS, () -> client().status(id())), id());
        });
    }

    @Test
    protected void theKeyEchoedInAnErrorMessageIsNeverShown() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> c.answerJson(400, "{\"error\":\"the key " + r.apiKey() + " may not run this\"}"));
            server.on(statusPolls(), (r, c) -> c.answer(500, "text/plain", ("boom for " + r.apiKey()).getBytes(StandardCharsets.UTF_8)));
            SegmindApiException e = fails(SegmindApiException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertThat(e.status()).isEqualTo(400);
            fails(InferenceTimeoutException.class, DEADLINE, () -> client().await(id(), policy()));
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void theKeyEchoedInASubmitAnswerLackingTheRequestIdIsNeverShown() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> c.answerJson(200, "{\"status\":\"QUEUED\",\"message\":\"accepted for " + r.apiKey() + "\"}"));
            fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void theKeyEchoedInHeadersIsNeverShown() {
        hostile(() -> {
            server.on(credits(), (r, c) -> c.answerJson(429, "{\"error\":\"slow down\"}", "X-Echo: " + r.apiKey(),
                    "Retry-After: " + r.apiKey(), "x-rate-limit-reset-at-utc: " + r.apiKey(), "Set-Cookie: k=" + r.apiKey()));
            fails(RateLimitException.class, ALL_ATTEMPTS, () -> client().credits());
        });
    }

    @Test
    protected void theKeyEchoedInARedirectLocationIsNeverShownNorFollowed() {
        hostile(() -> {
            HostileServer other = otherInternalHost();
            server.on(v2Submits(), (r, c) -> c.answerJson(302, "{}", "Location: " + other.url("/steal?k=" + r.apiKey())));
            fails(SegmindApiException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertThat(other.connectionCount()).as("connections to where the redirect pointed").isZero();
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void theKeyEchoedInAnOutputUrlIsNeverShown() {
        hostile(() -> {
            server.on(results(), (r, c) -> c.answerJson(200, "{\"status\":\"COMPLETED\",\"output\":\"" + server.url("/media/"
                    + r.apiKey() + ".png") + "\",\"metrics\":{}}"));
            InferenceResult result = succeeds(DEADLINE, () -> client().run(style()));
            assertThat(result.outputs()).hasSize(1);
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void theKeyEchoedInAFailedJobsErrorInsideA200IsNeverShown() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> c.answerJson(200, "{\"request_id\":\"" + id() + "\",\"status\":\"FAILED\",\"error\":\"bad key "
                    + r.apiKey() + "\",\"metrics\":{}}"));
            server.on(results(), (r, c) -> c.answerJson(200, "{\"status\":\"FAILED\",\"error\":\"bad key " + r.apiKey() + "\"}"));
            namesTheJob(fails(InferenceFailedException.class, DEADLINE, () -> client().run(style())), id());
            assertSubmitsReceived(1);
        });
    }

    // ---- corrupt encodings ----

    @Test
    protected void invalidUtf8InAStatusAnswerFailsTypedNamingTheJob() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes(("{\"request_id\":\"" + id() + "\",\"status\":\"PROC").getBytes(StandardCharsets.UTF_8));
                body.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3});
                body.writeBytes("ESSING\",\"metrics\":{}}".getBytes(StandardCharsets.UTF_8));
                c.answer(200, "application/json; charset=utf-8", body.toByteArray());
            });
            Throwable t = catchThrowable(() -> client().status(id()));
            // Replacement characters make an unknown (non-terminal) state, which is fine; anything thrown is typed.
            if (t != null) {
                thrown.add(t);
                assertThat(t).isInstanceOf(SegmindException.class);
                namesTheJob(t, id());
            }
        });
    }

    @Test
    protected void aGzipLieIsATypedErrorNamingTheJob() {
        hostile(() -> {
            server.on(results(), (r, c) -> c.answer(200, "application/json", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'n', 'o',
                'p', 'e'}, "Content-Encoding: gzip"));
            namesTheJob(fails(SegmindException.class, ALL_ATTEMPTS, () -> client().result(id())), id());
        });
    }

    @Test
    protected void aGzipBombIsNeverInflatedWhole() {
        hostile(() -> {
            byte[] bomb = gzipBomb();
            server.on(results(), (r, c) -> c.answer(200, "application/json", bomb, "Content-Encoding: gzip"));
            namesTheJob(fails(SegmindException.class, ALL_ATTEMPTS, () -> client().result(id())), id());
        });
    }

    private static volatile byte[] bomb;

    /** 200 MB of JSON, gzipped to a few hundred kilobytes; made once. */
    private static byte[] gzipBomb() throws IOException {
        if (bomb == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
                gz.write("{\"status\":\"COMPLETED\",\"output\":\"".getBytes(StandardCharsets.UTF_8));
                byte[] block = new byte[1024 * 1024];
                java.util.Arrays.fill(block, (byte) 'a');
                for (int i = 0; i < 200; i++) {
                    gz.write(block);
                }
                gz.write("\"}".getBytes(StandardCharsets.UTF_8));
            }
            bomb = out.toByteArray();
        }
        return bomb;
    }

    // ---- redirects ----

    /**
     * A second server on another loopback address (127.0.0.2): "an internal host that is not the
     * API's", which a client must refuse to reach for media, and which says whether it was reached.
     */
    private HostileServer otherInternalHost() throws IOException {
        HostileServer other = HostileServer.startOn(InetAddress.getByName("127.0.0.2"));
        closeAfter.add(other);
        return other;
    }

    @Test
    protected void aMediaRedirectLoopFailsTypedAndEnds() {
        hostile(() -> {
            server.on(media(), (r, c) -> c.answer(302, "text/plain", new byte[0], "Location: " + server.url(r.path())));
            fails(SegmindException.class, ALL_ATTEMPTS.multipliedBy(2), () -> client().download(server.url("/media/out.png")));
            assertThat(server.requests(media()).size()).as("requests of the loop").isLessThanOrEqualTo(ATTEMPTS * 21);
        });
    }

    @Test
    protected void aStatusRedirectLoopEndsTheWaitByItsDeadline() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> c.answer(307, "text/plain", new byte[0], "Location: " + server.url(r.path())));
            fails(SegmindException.class, DEADLINE, () -> client().await(id(), policy()));
        });
    }

    @Test
    protected void aMediaRedirectToAnotherInternalHostIsRefused() {
        hostile(() -> {
            HostileServer other = otherInternalHost();
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                server.on(media(), (r, c) -> c.answer(status, "text/plain", new byte[0], "Location: " + other.url("/latest/meta-data/")));
                fails(SegmindException.class, ALL_ATTEMPTS.multipliedBy(2), () -> client().download(server.url("/media/out.png")));
                assertThat(other.connectionCount()).as("connections to the internal host a %d pointed at", status).isZero();
            }
        });
    }

    @Test
    protected void anOutputOnAnotherInternalHostIsNotFetched() {
        hostile(() -> {
            HostileServer other = otherInternalHost();
            server.on(results(), (r, c) -> c.answerJson(200, "{\"status\":\"COMPLETED\",\"output\":\"" + other.url("/latest/meta-data/")
                    + "\",\"metrics\":{}}"));
            InferenceResult result = succeeds(DEADLINE, () -> client().run(style()));
            fails(SegmindException.class, ALL_ATTEMPTS.multipliedBy(2), () -> client().download(result.outputs().get(0)));
            assertThat(other.connectionCount()).as("connections to the internal host the output named").isZero();
        });
    }

    // ---- resets ----

    @Test
    protected void aSubmitResetAfterItWasReadIsOutcomeUnknownAndNeverResent() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> c.reset());
            fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void resetPollsAndResultsAreRiddenThroughAndTheSubmitIsNotResent() {
        hostile(() -> {
            server.on(statusPolls(), 2, (r, c) -> c.reset());
            server.on(results(), 1, (r, c) -> c.reset());
            assertThat(succeeds(DEADLINE, () -> client().run(style())).outputs()).hasSize(1);
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aDownloadResetMidBodyIsRetried() {
        hostile(() -> {
            server.on(media(), 1, (r, c) -> {
                c.write(HostileServer.head(200, "image/png", HostileServer.IMAGE.length));
                c.write(new byte[] {HostileServer.IMAGE[0]});
                c.reset();
            });
            assertThat(succeeds(ALL_ATTEMPTS, () -> client().download(server.url("/media/out.png")))).isEqualTo(HostileServer.IMAGE);
        });
    }

    @Test
    protected void pollsThatAreAlwaysResetEndTheWaitByItsDeadline() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> c.reset());
            InferenceTimeoutException e = fails(InferenceTimeoutException.class, DEADLINE, () -> client().await(id(), policy()));
            namesTheJob(e, id());
        });
    }

    // ---- a cut at every byte of a whole job's exchange ----

    @Test
    protected void aSubmitAnswerCutAtAnyByteIsOutcomeUnknownAndNeverResent() {
        hostile(() -> {
            byte[] whole = HostileServer.wholeAnswer(200, "application/json", server.submitAnswer().getBytes(StandardCharsets.UTF_8));
            for (int cut = 0; cut < whole.length; cut++) {
                int at = cut;
                server.on(v2Submits(), 1, (r, c) -> {
                    c.write(java.util.Arrays.copyOf(whole, at));
                    if (at % 2 == 0) {
                        c.close();
                    } else {
                        c.reset();
                    }
                });
                int before = server.submitCount();
                Throwable t = catchThrowable(() -> client().submit(style()));
                if (t != null) {
                    thrown.add(t);
                }
                assertThat(t).as("a submit answer cut after %d of %d bytes", at, whole.length)
                        .isInstanceOf(SubmitOutcomeUnknownException.class);
                assertThat(server.submitCount() - before).as("submits sent for the answer cut after %d bytes", at).isEqualTo(1);
            }
            assertThat(client().submit(style())).as("the whole answer").isEqualTo(id());
        });
    }

    @Test
    protected void aStatusAnswerCutAtAnyByteIsRiddenThroughWithoutResubmitting() {
        cutEveryByteOf(statusPolls(), server.statusAnswer("COMPLETED"));
    }

    @Test
    protected void aResultAnswerCutAtAnyByteIsRiddenThroughWithoutResubmitting() {
        cutEveryByteOf(results(), server.resultAnswer());
    }

    private void cutEveryByteOf(java.util.function.Predicate<HostileServer.Request> phase, String answer) {
        hostile(() -> {
            byte[] whole = HostileServer.wholeAnswer(200, "application/json", answer.getBytes(StandardCharsets.UTF_8));
            for (int cut = 0; cut < whole.length; cut++) {
                int at = cut;
                server.on(phase, 1, (r, c) -> {
                    c.write(java.util.Arrays.copyOf(whole, at));
                    c.close();
                });
                int before = server.submitCount();
                Throwable t = catchThrowable(() -> held.add(client().run(style())));
                if (t != null) {
                    thrown.add(t);
                }
                assertThat(t).as("a job whose answer was cut after %d of %d bytes", at, whole.length).isNull();
                assertThat(server.submitCount() - before).as("submits for the job cut after %d bytes", at).isEqualTo(1);
            }
        });
    }

    @Test
    protected void aDownloadCutAtAnyByteIsRetried() {
        hostile(() -> {
            byte[] whole = HostileServer.wholeAnswer(200, "image/png", HostileServer.IMAGE);
            for (int cut = 0; cut < whole.length; cut++) {
                int at = cut;
                server.on(media(), 1, (r, c) -> {
                    c.write(java.util.Arrays.copyOf(whole, at));
                    c.close();
                });
                AtomicReference<byte[]> got = new AtomicReference<>();
                Throwable t = catchThrowable(() -> got.set(client().download(server.url("/media/out.png"))));
                if (t != null) {
                    thrown.add(t);
                }
                assertThat(t).as("a download cut after %d of %d bytes", at, whole.length).isNull();
                assertThat(got.get()).isEqualTo(HostileServer.IMAGE);
            }
        });
    }

    // ---- answers that contradict each other ----

    @Test
    protected void aResultThatSaysProcessingAfterTheStatusSaidCompletedIsATypedErrorNamingTheJob() {
        hostile(() -> {
            server.on(results(), (r, c) -> c.answerJson(200, "{\"status\":\"PROCESSING\",\"metrics\":{}}"));
            namesTheJob(fails(SegmindException.class, DEADLINE, () -> client().run(style())), id());
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void aFailedReasonInsideA200ResultIsAFailedJob() {
        hostile(() -> {
            server.on(results(), (r, c) -> c.answerJson(200, "{\"status\":\"FAILED\",\"error\":\"CUDA out of memory\",\"metrics\":{}}"));
            InferenceFailedException e = fails(InferenceFailedException.class, DEADLINE, () -> client().run(style()));
            assertThat(e.error()).contains("CUDA out of memory");
            namesTheJob(e, id());
        });
    }

    @Test
    protected void aRelativeOutputUrlIsATypedErrorNamingTheJob() {
        hostile(() -> {
            server.on(results(), (r, c) -> c.answerJson(200, "{\"status\":\"COMPLETED\",\"output\":\"/media/out.png\",\"metrics\":{}}"));
            namesTheJob(fails(SegmindException.class, DEADLINE, () -> client().run(style())), id());
        });
    }

    @Test
    protected void aStatusAboutAnotherJobIsATypedErrorNamingTheJob() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> c.answerJson(200, "{\"request_id\":\"" + HostileServer.newJobId()
                    + "\",\"status\":\"COMPLETED\",\"metrics\":{}}"));
            namesTheJob(fails(SegmindException.class, DEADLINE, () -> client().run(style())), id());
        });
    }

    @Test
    protected void aStatusAnswerThatIsNotAStatusFailsTypedNamingTheJob() {
        hostile(() -> {
            for (String body : List.of("null", "[]", "\"COMPLETED\"", "42", "{}", "{\"status\":null}", "{\"status\":{\"a\":1}}")) {
                server.on(statusPolls(), (r, c) -> c.answerJson(200, body));
                namesTheJob(fails(SegmindException.class, ALL_ATTEMPTS, () -> client().status(id())), id());
            }
        });
    }

    @Test
    protected void aStateNoOneHeardOfIsWaitedOnUntilTheDeadline() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> c.answerJson(200, server.statusAnswer("WARMING_UP")));
            InferenceTimeoutException e = fails(InferenceTimeoutException.class, DEADLINE, () -> client().run(style()));
            namesTheJob(e, id());
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void anEmptySubmitAnswerIsOutcomeUnknown() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> c.answer(200, "application/json", new byte[0]));
            fails(SubmitOutcomeUnknownException.class, REQUEST_TIMEOUT, () -> client().submit(style()));
            assertSubmitsReceived(1);
        });
    }

    // ---- odd request ids ----

    @Test
    protected void anOddRequestIdAfterAPaidSubmitIsNeverAnUntypedError() {
        hostile(() -> {
            int sent = 0;
            // '~' has a test of its own: it is a legal id, which must work, not merely fail typed.
            for (String odd : List.of("job.1_2-3", "a:b@c", "a!b$c&d'e(f)g*h+i,j;k=l", "..", "a/b", "a b", "a?b#c", "a%2Fb", "é",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")) {
                server.jobId(odd);
                Throwable t = catchThrowable(() -> held.add(client().run(style())));
                if (t != null) {
                    thrown.add(t);
                    assertThat(t).as("the failure after a paid submit of a job with request_id %s", odd).isInstanceOf(SegmindException.class);
                }
                assertSubmitsReceived(++sent);
            }
        });
    }

    @Test
    protected void aTildeInTheRequestIdIsAJobLikeAnyOther() {
        hostile(() -> {
            server.jobId("job~" + HostileServer.newJobId());
            InferenceResult result = succeeds(DEADLINE, () -> client().run(style()));
            assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(server.requests(statusPolls())).isNotEmpty();
            assertSubmitsReceived(1);
        });
    }

    // ---- rate limits against a deadline ----

    @Test
    protected void aV1Answering429EveryTimeEndsByTheDeadline() {
        hostile(() -> {
            server.on(v1Submits(), (r, c) -> c.answerJson(429, "{\"error\":\"rate limited\"}", "Retry-After: 2",
                    "x-rate-limit-reset-at-utc: " + Instant.now().plusSeconds(2)));
            ClientAdapter patient = client(b -> b.retryPolicy(RetryPolicy.defaults()).pollingPolicy(PollingPolicy.defaults()
                    .withDeadline(Duration.ofSeconds(3))));
            fails(RateLimitException.class, Duration.ofSeconds(3), () -> patient.runSync(style()));
        });
    }

    @Test
    protected void aSubmitAnswering429EveryTimeEndsWithinItsAttempts() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> c.answerJson(429, "{\"error\":\"rate limited\"}", "Retry-After: 0"));
            fails(RateLimitException.class, ALL_ATTEMPTS, () -> client().submit(style()));
            assertThat(server.submitCount()).as("a 429 created no job: the submit may be sent again").isEqualTo(ATTEMPTS);
        });
    }

    // ---- close() under way ----

    /** Starts {@code call} on a thread of its own; the failure it ends with is put in {@code outcome}. */
    private Thread inTheBackground(ThrowingCallable call, AtomicReference<Throwable> outcome) {
        Thread t = new Thread(() -> outcome.set(catchThrowable(call)), "hostile-suite-caller");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Throwable closedWhileStalled(ClientAdapter client, ThrowingCallable call) throws InterruptedException {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = inTheBackground(call, outcome);
        assertThat(server.awaitStall(Duration.ofSeconds(5))).as("the exchange stalled").isTrue();
        long start = System.nanoTime();
        client.close();
        caller.join(SLACK.toMillis());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(caller.isAlive()).as("the call is still under way %s after close()", took).isFalse();
        Throwable t = outcome.get();
        assertThat(t).as("the call ended by close()").isNotNull();
        thrown.add(t);
        return t;
    }

    @Test
    protected void closeDuringAStalledSubmitEndsItAtOnceTyped() {
        hostile(() -> {
            server.on(v2Submits(), (r, c) -> c.stall());
            ClientAdapter slow = client(b -> b.pollingPolicy(policy().withRequestTimeout(Duration.ofSeconds(10))));
            Throwable t = closedWhileStalled(slow, () -> slow.submit(style()));
            assertThat(t).isInstanceOf(SubmitOutcomeUnknownException.class);
            assertSubmitsReceived(1);
        });
    }

    @Test
    protected void closeDuringAStalledWaitEndsItAtOnceTypedNamingTheJob() {
        hostile(() -> {
            server.on(statusPolls(), (r, c) -> {
                c.write(jsonHead(200, 100));
                c.stall();
            });
            PollingPolicy longWait = policy().withRequestTimeout(Duration.ofSeconds(10)).withDeadline(Duration.ofSeconds(30));
            ClientAdapter slow = client(b -> b.pollingPolicy(longWait));
            Throwable t = closedWhileStalled(slow, () -> slow.await(id(), longWait));
            assertThat(t).isInstanceOf(SegmindException.class);
            namesTheJob(t, id());
        });
    }

    @Test
    protected void closeDuringADrippingDownloadEndsItAtOnceTyped() {
        hostile(() -> {
            server.on(media(), (r, c) -> {
                c.write(HostileServer.head(200, "image/png", 100_000));
                c.stall();
            });
            ClientAdapter slow = client(b -> b.pollingPolicy(policy().withRequestTimeout(Duration.ofSeconds(10))));
            Throwable t = closedWhileStalled(slow, () -> slow.download(server.url("/media/out.png")));
            assertThat(t).isInstanceOf(SegmindException.class);
        });
    }

    // ---- TLS ----

    @Test
    protected void aTlsHandshakeThatFailsOnASubmitIsNotSent() {
        hostile(() -> {
            for (String how : List.of("plain HTTP", "closed at once", "reset at once")) {
                server.onConnection(socket -> {
                    if (how.equals("plain HTTP")) {
                        InputStream in = socket.getInputStream();
                        in.readNBytes(5);
                        socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().flush();
                    } else if (how.equals("reset at once")) {
                        socket.setSoLinger(true, 0);
                    }
                    socket.close();
                });
                ClientAdapter tls = client(b -> b.baseUrl("https://127.0.0.1:" + server.port()));
                SegmindIOException e = fails(SegmindIOException.class, ALL_ATTEMPTS, () -> tls.submit(style()));
                assertThat(e).as("a handshake that failed sent nothing").isNotInstanceOf(SubmitOutcomeUnknownException.class);
                assertThat(e.requestSent()).as("requestSent() of %s", e).isFalse();
                assertThat(RetryPolicy.defaults().isRetryable(RetryPolicy.Operation.SUBMIT, e, Instant.now())).isTrue();
                assertThat(server.requests()).as("HTTP requests: none could be read").isEmpty();
            }
        });
    }

    // ---- plumbing ----

    private static PollingPolicy policy() {
        return PollingPolicy.fixed(Duration.ofMillis(20)).withDeadline(DEADLINE).withRequestTimeout(REQUEST_TIMEOUT);
    }
}
