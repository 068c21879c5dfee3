package dev.segmindkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobMetrics;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code --json} documents: one line each, snake_case keys as the API uses. A result carries
 * its metrics exactly as the service sent them, so fields this SDK does not model survive. Every
 * document that came from a service says {@code "fake"}: true when it was the embedded fake.
 */
final class JsonOut {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonOut() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A job's result; {@code fake} tells a script that it ran on the embedded fake, whose URLs end with the process. */
    static ObjectNode result(InferenceResult result, String model, List<Path> files, boolean fake) {
        ObjectNode o = object();
        o.put("request_id", result.requestId());
        if (model != null) {
            o.put("model", model);
        }
        o.put("status", result.status().value());
        ArrayNode outputs = o.putArray("outputs");
        result.outputs().forEach(outputs::add);
        if (files != null) {
            ArrayNode saved = o.putArray("files");
            files.forEach(f -> saved.add(f.toString()));
        }
        o.set("metrics", rawMetrics(result).orElseGet(() -> metrics(result.metrics())));
        o.put("fake", fake);
        return o;
    }

    static ObjectNode metrics(JobMetrics m) {
        ObjectNode o = object();
        m.inferenceTime().ifPresent(d -> o.put("inference_time", seconds(d)));
        m.queueTime().ifPresent(d -> o.put("queue_time", seconds(d)));
        m.totalTime().ifPresent(d -> o.put("total_time", seconds(d)));
        m.cost().ifPresent(c -> o.put("cost", c));
        m.remainingCredits().ifPresent(c -> o.put("remaining_credits", c));
        m.retryCount().ifPresent(c -> o.put("retry_count", c));
        return o;
    }

    static String line(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static Optional<JsonNode> rawMetrics(InferenceResult result) {
        try {
            JsonNode body = MAPPER.readTree(result.rawJson());
            JsonNode metrics = body == null ? null : body.get("metrics");
            return metrics != null && metrics.isObject() ? Optional.of(metrics) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static BigDecimal seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros();
    }
}
