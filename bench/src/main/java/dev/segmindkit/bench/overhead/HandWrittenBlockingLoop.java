package dev.segmindkit.bench.overhead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The baseline of the blocking client: the same three calls by hand on the same transport
 * ({@code java.net.http}, HTTP/1.1, 10 s connect and 30 s request timeouts, as the SDK), the same
 * headers, Jackson trees for the answers, and a sleep of the same interval between polls. No
 * validation, retries, logging or error mapping: a non-200 answer just throws.
 */
final class HandWrittenBlockingLoop implements JobLoop {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String baseUrl;
    private final String apiKey;
    private final long pollIntervalMillis;

    HandWrittenBlockingLoop(String baseUrl, String apiKey, Duration pollInterval) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.pollIntervalMillis = pollInterval.toMillis();
    }

    @Override
    public String runJob() {
        try {
            byte[] body = json.writeValueAsBytes(Map.of("style_image", STYLE_IMAGE));
            JsonNode submitted = call(HttpRequest.newBuilder(URI.create(baseUrl + "/v2/" + MODEL))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            String id = submitted.get("request_id").asText();
            for (int polls = 0; ; polls++) {
                if (polls > 0) {
                    Thread.sleep(pollIntervalMillis);
                }
                String status = call(HttpRequest.newBuilder(URI.create(baseUrl + "/v2/requests/" + id + "/status")).GET())
                        .get("status").asText();
                if (status.equals("COMPLETED") || status.equals("FAILED")) {
                    break;
                }
            }
            return call(HttpRequest.newBuilder(URI.create(baseUrl + "/v2/requests/" + id)).GET()).get("output").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode call(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .header("x-api-key", apiKey).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    @Override
    public void close() {
        // HttpClient is AutoCloseable from JDK 21 only; its threads end when it is unreachable.
        if (http instanceof AutoCloseable) {
            try {
                ((AutoCloseable) http).close();
            } catch (Exception e) {
                // closing a client we are done with
            }
        }
    }
}
