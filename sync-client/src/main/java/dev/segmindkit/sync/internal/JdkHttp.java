package dev.segmindkit.sync.internal;

import dev.segmindkit.core.ProxySettings;
import dev.segmindkit.core.internal.JdkHttpClients;
import dev.segmindkit.core.internal.JdkProxy;
import feign.Client;
import feign.Request;
import feign.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Feign's transport for the blocking client, on the JDK's {@link HttpClient}. It replaces
 * feign-java11's {@code Http2Client} for two reasons:
 *
 * <ul>
 *   <li><b>Interrupts.</b> Bodies are read through {@link BodyInputStream}, so an interrupt that
 *       lands while a body is awaited ends the read and keeps the flag (the JDK 17 stream
 *       swallowed it, and a cancelled wait polled on).
 *   <li><b>Release.</b> {@link #close()} releases what the JDK client holds: its threads run on an
 *       executor of ours, shut down on close; from JDK 21 the client itself is closed (its
 *       selector thread ends, its pooled connections close). On JDK 17 to 20 the JDK's client
 *       cannot be closed: we drop our only reference to it, and the JDK ends its selector thread
 *       and closes its connections once the garbage collector has reclaimed it.
 * </ul>
 *
 * <p>After {@link #close()}, requests fail with {@link IllegalStateException}.
 */
final class JdkHttp implements Client, AutoCloseable {
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ExecutorService executor;
    private volatile HttpClient http;
    private final String userAgent;

    JdkHttp(HttpClient.Version version, Duration connectTimeout, Optional<ProxySettings> proxy, String userAgent) {
        this.userAgent = userAgent;
        int id = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "segmindkit-http-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = JdkProxy.configure(HttpClient.newBuilder(), proxy).version(version).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
    }

    @Override
    public Response execute(Request request, Request.Options options) throws IOException {
        HttpClient client = http;
        if (client == null) {
            throw new IllegalStateException("this SegmindClient is closed");
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(toJdk(request, options, userAgent), info -> new BodyInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while awaiting an answer");
            interrupted.initCause(e);
            throw interrupted;
        }
        Long length = response.headers().firstValueAsLong("content-length").stream().boxed().findFirst().orElse(null);
        return Response.builder()
                .status(response.statusCode())
                .request(request)
                .protocolVersion(response.version() == HttpClient.Version.HTTP_2 ? Request.ProtocolVersion.HTTP_2 : Request.ProtocolVersion.HTTP_1_1)
                .headers(new java.util.LinkedHashMap<String, Collection<String>>(response.headers().map()))
                .body(response.body(), length == null || length > Integer.MAX_VALUE ? null : length.intValue())
                .build();
    }

    private static HttpRequest toJdk(Request request, Request.Options options, String userAgent) throws IOException {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(new URI(request.url()));
        } catch (URISyntaxException e) {
            throw new IOException("invalid URL " + request.url(), e);
        }
        b.timeout(Duration.ofMillis(options.readTimeoutMillis()));
        for (Map.Entry<String, Collection<String>> h : request.headers().entrySet()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : h.getValue()) {
                    b.header(h.getKey(), value);
                }
            }
        }
        b.setHeader("User-Agent", userAgent);
        byte[] body = request.body();
        b.method(request.httpMethod().name(), body == null || body.length == 0 && request.httpMethod() == Request.HttpMethod.GET
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return b.build();
    }

    @Override
    public void close() {
        HttpClient client = http;
        http = null;
        JdkHttpClients.close(client, executor);
    }
}
