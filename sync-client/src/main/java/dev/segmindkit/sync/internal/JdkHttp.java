package dev.segmindkit.sync.internal;

import dev.segmindkit.core.internal.JdkHttpClients;
import feign.Client;
import feign.Request;
import feign.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Feign's default transport for the blocking client: the JDK's {@link HttpClient} through {@link
 * JdkHttpClients}, whose bodies end a read at once on interrupt or close (feign-java11's client
 * swallowed the interrupt on JDK 17) and whose {@code close()} aborts exchanges under way.
 */
final class JdkHttp implements Client, AutoCloseable {
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final JdkHttpClients http;

    JdkHttp(HttpClient.Version version, Duration connectTimeout, java.util.Optional<dev.segmindkit.core.ProxySettings> proxy) {
        this.http = new JdkHttpClients("http", version, connectTimeout, HttpClient.Redirect.NEVER, proxy);
    }

    @Override
    public Response execute(Request request, Request.Options options) throws IOException {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(new URI(request.url())).timeout(Duration.ofMillis(options.readTimeoutMillis()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("invalid URL " + request.url(), e);
        }
        for (Map.Entry<String, Collection<String>> h : request.headers().entrySet()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(value -> b.header(h.getKey(), value));
            }
        }
        byte[] body = request.body();
        b.method(request.httpMethod().name(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> response = http.send(b.build());
        return Response.builder()
                .status(response.statusCode())
                .request(request)
                .protocolVersion(response.version() == HttpClient.Version.HTTP_2 ? Request.ProtocolVersion.HTTP_2 : Request.ProtocolVersion.HTTP_1_1)
                .headers(new LinkedHashMap<String, Collection<String>>(response.headers().map()))
                // No length given to Feign: it would read a short body whole inside its proxy, before the
                // transport's watchdog can bound it. The transport reads Content-Length from the headers.
                .body(response.body(), null)
                .build();
    }

    @Override
    public void close() {
        http.close();
    }
}
