package dev.segmindkit.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code java.net.http} client of the SDK's own, on an executor of its own: virtual threads from
 * JDK 21 (the client's blocking work then costs no platform thread, where a cached pool grew to
 * hundreds of them under load), daemon platform threads before. Bodies are read through {@link
 * BodyInputStream}, so an interrupt or a close from another thread ends a read at once.
 */
public final class JdkHttpClients implements AutoCloseable {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ExecutorService executor;
    /** Null once closed, so that on JDK 17 to 20 the JDK client becomes unreachable and ends. */
    private volatile HttpClient http;

    /**
     * @param redirects whether the JDK follows redirects (never for requests with the key)
     * @param proxy the proxy to go through, or empty
     */
    public JdkHttpClients(String name, HttpClient.Version version, Duration connectTimeout, HttpClient.Redirect redirects,
            Optional<dev.segmindkit.core.ProxySettings> proxy) {
        int id = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = virtualThreads().orElseGet(() -> Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "segmindkit-" + name + "-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
        this.http = JdkProxy.configure(HttpClient.newBuilder(), proxy).version(version).connectTimeout(connectTimeout).followRedirects(redirects).executor(executor)
                .build();
    }

    private static Optional<ExecutorService> virtualThreads() {
        try {
            // Found by reflection: this code is compiled for Java 17.
            return Optional.of((ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Sends the request and answers once the headers are in; the body is then a stream that an
     * interrupt or {@code close()} from any thread ends.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws InterruptedIOException if the thread is interrupted while waiting (the flag stays set)
     */
    public HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        HttpClient client = http;
        if (client == null) {
            throw new IllegalStateException("this client is closed");
        }
        try {
            return client.send(request, info -> new BodyInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while awaiting an answer");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    /**
     * Releases the client at once: from JDK 21 its exchanges under way are aborted and its
     * connections closed ({@code shutdownNow}); on 17 to 20, which cannot close it, they close once
     * the client is collected. Its threads end. Never throws; idempotent.
     */
    @Override
    public void close() {
        HttpClient client = http;
        http = null;
        if (client != null) {
            try {
                HttpClient.class.getMethod("shutdownNow").invoke(client);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // JDK 17 to 20: nothing to call; dropping the reference lets it end.
            }
        }
        executor.shutdownNow();
    }
}
