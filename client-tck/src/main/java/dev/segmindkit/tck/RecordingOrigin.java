package dev.segmindkit.tck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP origin on a loopback port that records every request it gets (method, path,
 * headers, body) and answers each with the same canned response: a few image bytes, or a redirect
 * to another origin. The suites use it as "an origin other than the base URL" (a media host, the
 * target of a redirect) to prove the API key never reaches one, and as a base URL that must never
 * hear anything at all.
 */
public final class RecordingOrigin implements AutoCloseable {
    /** The bytes a serving origin answers: the start of a PNG. */
    public static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** One request as the origin received it. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        /** Everything the request carried, as one string, to search for a secret. */
        public String everything() {
            return method + ' ' + path + ' ' + headers + ' ' + body;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private RecordingOrigin(int status, String location) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("no loopback port for a recording origin", e);
        }
        server.createContext("/", exchange -> answer(exchange, status, location));
        server.start();
    }

    /** An origin answering 200 with {@link #IMAGE} as {@code image/png} to every request. */
    public static RecordingOrigin serving() {
        return new RecordingOrigin(200, null);
    }

    /** An origin answering every request with this redirect status to the same path on {@code target}. */
    public static RecordingOrigin redirectingTo(RecordingOrigin target, int status) {
        return new RecordingOrigin(status, target.baseUrl().toString());
    }

    private void answer(HttpExchange exchange, int status, String location) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri.toString(), Map.copyOf(exchange.getRequestHeaders()), body));
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location + uri);
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(status, IMAGE.length);
            exchange.getResponseBody().write(IMAGE);
        }
    }

    /** Such as {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A URL of this origin with this path. */
    public String url(String path) {
        return baseUrl() + path;
    }

    /** Every request received so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests received so far. */
    public void clear() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
