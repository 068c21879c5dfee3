package dev.segmindkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain java.net.http against the fake: what a client sends, with nothing of our SDK in between. */
final class Http {
    private static final HttpClient SHARED = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final FakeSegmindServer server;
    private final HttpClient client;

    Http(FakeSegmindServer server) {
        this(server, SHARED);
    }

    Http(FakeSegmindServer server, HttpClient client) {
        this.server = server;
        this.client = client;
    }

    /** A client with its own connections, for faults that break one. */
    static Http fresh(FakeSegmindServer server) {
        return new Http(server, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    HttpResponse<byte[]> get(String pathOrUrl, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathOrUrl)).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) {
            b.header("x-api-key", key);
        }
        return send(b.build());
    }

    HttpResponse<byte[]> post(String pathOrUrl, String key, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathOrUrl)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            b.header("x-api-key", key);
        }
        return send(b.build());
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends and expects the connection to break: returns the failure. */
    IOException failing(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            throw new AssertionError("expected the connection to break, got " + r.statusCode() + " " + text(r));
        } catch (IOException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    }

    URI uri(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : server.baseUrl().resolve(pathOrUrl);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return Json.parse(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text(r), e);
        }
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Submits a style transfer and answers its request id. */
    String submit(Tenant tenant, String json) {
        HttpResponse<byte[]> r = post("/v2/style-transfer", tenant.apiKey(), json);
        if (r.statusCode() != 200) {
            throw new AssertionError("submit answered " + r.statusCode() + " " + text(r));
        }
        return json(r).get("request_id").asText();
    }

    static final String SMALL = "{\"style_image\": \"https://example.com/style.png\", \"width\": 32, \"height\": 24, \"seed\": 42}";
}
