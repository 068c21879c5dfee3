package dev.segmindkit.bench.overhead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The baseline of the reactive client: the same three calls by hand on Reactor Netty, with a
 * connection pool shaped like the SDK's (100 connections, 30 s idle) on Reactor Netty's shared
 * event loops, the same headers, a 30 s timeout per call, Jackson trees for the answers, and a
 * {@code Mono.delay} of the same interval between polls. No validation, retries, logging or error
 * mapping: a non-200 answer just fails.
 */
final class HandWrittenReactiveLoop implements JobLoop {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final ConnectionProvider provider = ConnectionProvider.builder("baseline").maxConnections(100)
            .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ofSeconds(60)).maxIdleTime(Duration.ofSeconds(30)).build();
    private final HttpClient http;
    private final Duration pollInterval;

    HandWrittenReactiveLoop(String baseUrl, String apiKey, Duration pollInterval) {
        this.pollInterval = pollInterval;
        this.http = HttpClient.create(provider).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000).disableRetry(true)
                .followRedirect(false).baseUrl(baseUrl)
                .headers(h -> h.set("x-api-key", apiKey).set(HttpHeaderNames.ACCEPT, "application/json"));
    }

    @Override
    public String runJob() {
        return submit().flatMap(id -> poll(id).then(get("/v2/requests/" + id))).map(result -> result.get("output").asText()).block();
    }

    private Mono<String> submit() {
        return Mono.fromCallable(() -> json.writeValueAsBytes(Map.of("style_image", STYLE_IMAGE)))
                .flatMap(body -> http.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json")).post().uri("/v2/" + MODEL)
                        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                        .responseSingle((response, content) -> answer(response.status().code(), content.asByteArray(), "submit"))
                        .timeout(REQUEST_TIMEOUT))
                .map(submitted -> submitted.get("request_id").asText());
    }

    private Mono<JsonNode> poll(String id) {
        return get("/v2/requests/" + id + "/status").flatMap(status -> {
            String s = status.get("status").asText();
            return s.equals("COMPLETED") || s.equals("FAILED") ? Mono.just(status) : Mono.delay(pollInterval).then(Mono.defer(() -> poll(id)));
        });
    }

    private Mono<JsonNode> get(String path) {
        return http.get().uri(path).responseSingle((response, content) -> answer(response.status().code(), content.asByteArray(), path))
                .timeout(REQUEST_TIMEOUT);
    }

    private Mono<JsonNode> answer(int status, Mono<byte[]> body, String what) {
        if (status != 200) {
            return Mono.error(new IllegalStateException(what + " answered " + status));
        }
        return body.map(bytes -> {
            try {
                return json.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        provider.dispose();
    }
}
