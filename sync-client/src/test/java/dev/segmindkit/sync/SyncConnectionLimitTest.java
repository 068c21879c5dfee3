package dev.segmindkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.segmindkit.core.CreditBalance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The blocking client keeps at most {@code maxConnections} requests under way: without a cap, the
 * JDK's HTTP/1.1 client opens a connection per concurrent request, and 10,000 virtual threads
 * overflow the server's accept queue (the concurrency benchmark lost 1,956 of 10,000 jobs so).
 */
class SyncConnectionLimitTest {
    private static final byte[] CREDITS = "{\"credits\": 3, \"free-credits\": 0}".getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger arrived = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService callers;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            arrived.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, CREDITS.length);
            exchange.getResponseBody().write(CREDITS);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        callers = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        callers.shutdownNow();
    }

    private SegmindClient client(int maxConnections) {
        return SegmindClient.builder().apiKey("SG_0123456789abcdef").baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .maxConnections(maxConnections).build();
    }

    @Test
    void aRequestBeyondMaxConnectionsWaitsForASlotInsteadOfOpeningAnotherConnection() {
        try (SegmindClient client = client(1)) {
            CompletableFuture<CreditBalance> first = CompletableFuture.supplyAsync(client::credits, callers);
            awaitTrue(() -> arrived.get() == 1);
            Thread[] second = new Thread[1];
            CompletableFuture<CreditBalance> waiting = CompletableFuture.supplyAsync(() -> {
                second[0] = Thread.currentThread();
                return client.credits();
            }, callers);

            // Either the second caller parks on the client's slot, or (no cap) its request reaches the server.
            awaitTrue(() -> arrived.get() > 1 || second[0] != null && parkedOnSemaphore(second[0]));
            assertThat(arrived.get()).as("requests at the server while one is under way with maxConnections(1)").isEqualTo(1);

            release.countDown();
            assertThat(first.join().credits()).isEqualTo(3.0);
            assertThat(waiting.join().credits()).isEqualTo(3.0);
            assertThat(arrived.get()).isEqualTo(2);
        }
    }

    @Test
    void maxConnectionsBelowOneIsRefusedAtOnce() {
        assertThatThrownBy(() -> SegmindClient.builder().maxConnections(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxConnections must be >= 1, got 0");
    }

    private static boolean parkedOnSemaphore(Thread thread) {
        return (thread.getState() == Thread.State.TIMED_WAITING || thread.getState() == Thread.State.WAITING)
                && Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getClassName().startsWith("java.util.concurrent.Semaphore"));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (!condition.getAsBoolean()) {
                Thread.onSpinWait();
            }
        });
    }
}
