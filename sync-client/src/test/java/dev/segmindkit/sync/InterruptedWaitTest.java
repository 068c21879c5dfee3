package dev.segmindkit.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.WaitInterruptedException;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread waiting for a job stops when interrupted, wherever in the wait the interrupt lands:
 * between polls, during a retry's backoff, during a rate-limit wait, and inside a poll's exchange
 * (before the answer, and between its headers and its body). Each time the wait ends with {@link
 * WaitInterruptedException} naming the job, the flag stays set, and nothing more is sent.
 *
 * <p>Regression: on JDK 17 the JDK's own response body stream swallows an interrupt that lands
 * while a poll's body is awaited (it clears the flag and keeps reading), so the wait went on
 * polling; the CLI lost about one Ctrl-C in five this way. Nothing here sleeps: the client's sleeps
 * block on a latch until interrupted, and the test waits for the waiting thread to reach the point
 * it aims at.
 */
@Timeout(60)
class InterruptedWaitTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
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
        // Long enough that no wait here can end on its own.
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ofMinutes(5)).processingFor(Duration.ofMinutes(5)));
    }

    private static ModelRequest style() {
        return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/s.png"));
    }

    private SegmindClient client(TimeSource time, StatusListener listener, String baseUrl) {
        return SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(baseUrl).timeSource(time).statusListener(listener)
                .pollingPolicy(PollingPolicy.fixed(Duration.ofSeconds(1)).withRequestTimeout(Duration.ofMinutes(5)))
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(3)).build();
    }

    @Test
    void betweenPolls() throws Exception {
        // The first two sleeps pass (before polls 1 and 2); the third, before poll 3, is where the interrupt lands.
        LatchTime time = new LatchTime(clock, new Predicate<>() {
            private int sleeps;

            @Override
            public synchronized boolean test(Duration d) {
                return ++sleeps == 3;
            }
        });
        try (SegmindClient c = client(time, StatusListener.none(), server.baseUrl().toString())) {
            String id = c.submit(style()).requestId();
            Waiter waiter = Waiter.start(() -> c.job(id).await());
            time.awaitHeld();

            waiter.thread.interrupt();

            waiter.assertInterrupted(id);
            assertThat(tenant.journal().polls(id)).hasSize(2);
        }
    }

    @Test
    void duringTheBackoffBeforeARetriedPoll() throws Exception {
        tenant.inject(Phase.STATUS, Fault.status(503));
        Armed retrying = new Armed();
        LatchTime time = new LatchTime(clock, d -> retrying.armed);
        try (SegmindClient c = client(time, retrying, server.baseUrl().toString())) {
            String id = c.submit(style()).requestId();
            Waiter waiter = Waiter.start(() -> c.job(id).await());
            time.awaitHeld();

            waiter.thread.interrupt();

            waiter.assertInterrupted(id);
            assertThat(tenant.journal().polls(id)).as("the 503 poll only").hasSize(1);
        }
    }

    @Test
    void duringTheWaitForARateLimitReset() throws Exception {
        // A 429 on credits, not retried, closes the client-wide gate for 30 s; the poll then waits for it.
        tenant.inject(Phase.CREDITS, Fault.rateLimited(Duration.ofSeconds(30)));
        LatchTime time = new LatchTime(clock, d -> d.compareTo(Duration.ofSeconds(20)) > 0);
        try (SegmindClient c = SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString()).timeSource(time)
                .pollingPolicy(PollingPolicy.fixed(Duration.ofSeconds(1))).retryPolicy(RetryPolicy.none()).build()) {
            String id = c.submit(style()).requestId();
            org.assertj.core.api.Assertions.assertThatThrownBy(c::credits).isInstanceOf(RateLimitException.class);
            Waiter waiter = Waiter.start(() -> c.job(id).await());
            time.awaitHeld();

            waiter.thread.interrupt();

            waiter.assertInterrupted(id);
            assertThat(tenant.journal().polls(id)).isEmpty();
        }
    }

    @Test
    void whenTheListenerInterruptsItsOwnThreadOnAStatusChange() throws Exception {
        StatusListener interrupting = new StatusListener() {
            @Override
            public void onStatusChange(StatusUpdate update) {
                Thread.currentThread().interrupt();
            }
        };
        try (SegmindClient c = client(clock, interrupting, server.baseUrl().toString())) {
            String id = c.submit(style()).requestId();
            Waiter waiter = Waiter.start(() -> c.job(id).await());

            waiter.assertInterrupted(id);
            assertThat(tenant.journal().polls(id)).hasSize(1);
        }
    }

    @Test
    void whileAPollAwaitsItsAnswer() throws Exception {
        try (StallingServer stalling = new StallingServer(false);
                SegmindClient c = client(clock, StatusListener.none(), stalling.baseUrl())) {
            String id = UUID.randomUUID().toString();
            Waiter waiter = Waiter.start(() -> c.job(id).await());
            stalling.awaitRequest();
            waiter.awaitBlockedIn(f -> f.getClassName().equals(SegmindClient.class.getName()) && f.getMethodName().equals("pollOnce"));

            waiter.thread.interrupt();

            waiter.assertInterrupted(id);
            assertThat(stalling.requests()).isEqualTo(1);
        }
    }

    @Test
    void whileAPollReadsABodyThatHasNotArrivedYet() throws Exception {
        try (StallingServer stalling = new StallingServer(true);
                SegmindClient c = client(clock, StatusListener.none(), stalling.baseUrl())) {
            String id = UUID.randomUUID().toString();
            Waiter waiter = Waiter.start(() -> c.job(id).await());
            stalling.awaitRequest();
            // The headers are out: the thread waits for the body, which never comes (parked in a body
            // stream's read, or in the JDK client while it collects a small body whole).
            waiter.awaitBlockedIn(f -> f.getClassName().equals(SegmindClient.class.getName()) && f.getMethodName().equals("pollOnce"));

            waiter.thread.interrupt();

            waiter.assertInterrupted(id);
            assertThat(stalling.requests()).isEqualTo(1);
        }
    }

    /** A listener that arms on the first retry. */
    private static final class Armed implements StatusListener {
        volatile boolean armed;

        @Override
        public void onStatusChange(StatusUpdate update) {
        }

        @Override
        public void onRetry(RetryEvent event) {
            armed = true;
        }
    }

    /**
     * The client's time: instants from a {@link ManualClock}; a sleep the predicate picks blocks on a
     * latch that only an interrupt ends (and says it started), any other advances the clock.
     */
    private static final class LatchTime implements TimeSource {
        private final ManualClock clock;
        private final Predicate<Duration> hold;
        private final CountDownLatch held = new CountDownLatch(1);

        LatchTime(ManualClock clock, Predicate<Duration> hold) {
            this.clock = clock;
            this.hold = hold;
        }

        @Override
        public Instant now() {
            return clock.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (hold.test(duration)) {
                held.countDown();
                new CountDownLatch(1).await();
            }
            clock.sleep(duration);
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("the client reached the sleep").isTrue();
        }
    }

    /** A thread running a wait, and how the wait ended. */
    private static final class Waiter {
        final Thread thread;
        final CompletableFuture<Throwable> failure = new CompletableFuture<>();
        volatile boolean flagKept;

        private Waiter(Runnable wait) {
            this.thread = new Thread(() -> {
                try {
                    wait.run();
                    failure.complete(null);
                } catch (Throwable t) {
                    flagKept = Thread.currentThread().isInterrupted();
                    failure.complete(t);
                }
            }, "interrupted-wait-test");
            thread.setDaemon(true);
        }

        static Waiter start(java.util.concurrent.Callable<InferenceResult> wait) {
            Waiter w = new Waiter(() -> {
                try {
                    wait.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            w.thread.start();
            return w;
        }

        /** Spins (never sleeps) until the thread is parked with such a frame on its stack. */
        void awaitBlockedIn(Predicate<StackTraceElement> frame) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!parkedIn(frame)) {
                assertThat(System.nanoTime()).as("the waiting thread got there: " + Arrays.toString(thread.getStackTrace()))
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
        }

        private boolean parkedIn(Predicate<StackTraceElement> frame) {
            Thread.State state = thread.getState();
            return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                    && Arrays.stream(thread.getStackTrace()).anyMatch(frame);
        }

        void assertInterrupted(String requestId) throws Exception {
            Throwable t = failure.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(WaitInterruptedException.class).hasMessageContaining(requestId);
            assertThat(flagKept).as("the interrupt flag stays set").isTrue();
            thread.join(PATIENCE.toMillis());
        }
    }

    /**
     * A loopback server that reads one request per connection and stalls: either before any answer,
     * or after headers announcing a body it never sends. Closing it ends every connection.
     */
    private static final class StallingServer implements AutoCloseable {
        private final ServerSocket socket;
        private final boolean sendHeaders;
        private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        private final CountDownLatch requested = new CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread acceptor;

        StallingServer(boolean sendHeaders) throws IOException {
            this.sendHeaders = sendHeaders;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.acceptor = new Thread(this::serve, "stalling-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void serve() {
            try {
                while (true) {
                    Socket s = socket.accept();
                    accepted.add(s);
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        head.append((char) b);
                    }
                    requests.incrementAndGet();
                    if (sendHeaders) {
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"status\""
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    requested.countDown();
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }

        void awaitRequest() throws InterruptedException {
            assertThat(requested.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("the poll reached the server").isTrue();
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
