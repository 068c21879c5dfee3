package dev.segmindkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobMetrics;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SyncResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decoding of the service's success bodies into the public types, shared by both clients. A body
 * that cannot be read throws {@link MalformedResponseException}, which the retry rules treat as a
 * network failure after sending.
 */
public final class Wire {
    /** Raw base64 output: long (an image is), and only base64's alphabet. */
    private static final Pattern RAW_BASE64 = Pattern.compile("[A-Za-z0-9+/\\s]{64,}={0,2}");

    private Wire() {
    }

    /**
     * The request id of a submit's answer, by {@link RequestIds}' rule: an id that is not one plain
     * path segment is refused as malformed rather than followed ({@code ../} or {@code ?} in it
     * would send the key-bearing polls to another path; found by WireFuzzTest).
     */
    public static String submittedRequestId(byte[] body) {
        JsonNode json = object(body, "submit");
        JsonNode id = json.get("request_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new MalformedResponseException("the submit answer has no request_id: " + excerpt(body));
        }
        if (!RequestIds.isValid(id.asText())) {
            throw new MalformedResponseException("the submit answer's request_id is not a plain id: " + excerpt(body));
        }
        return id.asText();
    }

    /** A status poll's answer. */
    public static StatusUpdate status(byte[] body, String requestId, Instant observedAt) {
        try {
            JsonNode json = object(body, "status");
            sameJob(json, requestId, "status");
            return new StatusUpdate(requestId, status(json, body), metrics(json.get("metrics")), observedAt);
        } catch (MalformedResponseException e) {
            throw e.about(requestId);
        }
    }

    /** A result's answer; the status may still be non-terminal if the job is not finished. */
    public static InferenceResult result(byte[] body, String requestId) {
        try {
            JsonNode json = object(body, "result");
            sameJob(json, requestId, "result");
            JobStatus status = status(json, body);
            List<String> outputs = outputs(json.get("output"));
            for (String output : outputs) {
                checkOutput(output);
            }
            return new InferenceResult(requestId, status, outputs, metrics(json.get("metrics")),
                    new String(body, StandardCharsets.UTF_8));
        } catch (MalformedResponseException e) {
            throw e.about(requestId);
        }
    }

    /**
     * The reason a result that says FAILED gives, from its {@code error}, {@code message}, {@code
     * detail} or {@code failure_reason} field.
     */
    public static java.util.Optional<String> failureReason(InferenceResult result) {
        try {
            JsonNode json = Json.parse(result.rawJson().getBytes(StandardCharsets.UTF_8));
            for (String field : new String[] {"error", "message", "detail", "failure_reason"}) {
                JsonNode reason = json.path(field);
                if (reason.isTextual() && !reason.asText().isBlank()) {
                    String text = reason.asText().strip();
                    return java.util.Optional.of(text.length() > 300 ? text.substring(0, 300) + "..." : text);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No readable reason: the caller says so.
        }
        return java.util.Optional.empty();
    }

    /** An answer that names a job must name the one asked about. */
    private static void sameJob(JsonNode json, String requestId, String what) {
        JsonNode id = json.get("request_id");
        if (id != null && id.isTextual() && !id.asText().equals(requestId)) {
            throw new MalformedResponseException("the " + what + " answer is about another job: \""
                    + (id.asText().length() > 80 ? id.asText().substring(0, 80) + "..." : id.asText()) + '"');
        }
    }

    /** An output must be an absolute http(s) URL, a data URI, or raw base64; a relative URL is not decoded as base64. */
    private static void checkOutput(String output) {
        String o = output.strip();
        if (InlineOutput.isUrl(o) || o.regionMatches(true, 0, "data:", 0, 5) || RAW_BASE64.matcher(o).matches()) {
            return;
        }
        throw new MalformedResponseException("the result answer has an output that is neither an absolute URL, a data URI nor base64: \""
                + (o.length() > 80 ? o.substring(0, 80) + "..." : o) + '"');
    }

    /** The figures of a v1 answer, from its headers. */
    public static SyncResponse syncResponse(Map<String, ? extends List<String>> headers, long size) {
        return new SyncResponse(HttpHeaders.first(headers, "content-type").orElse("application/octet-stream"), size,
                HttpHeaders.firstDouble(headers, "x-cost").orElse(null),
                HttpHeaders.firstDouble(headers, "x-remaining-credits").orElse(null),
                HttpHeaders.first(headers, "x-request-id").orElse(null),
                HttpHeaders.firstDouble(headers, "x-generation-time").orElse(null),
                HttpHeaders.firstLong(headers, "x-seed-value").orElse(null));
    }

    /** Upload URLs, under {@code urls} or {@code file_urls}. */
    public static List<String> uploadedUrls(byte[] body) {
        JsonNode json = object(body, "upload");
        for (String field : new String[] {"urls", "file_urls"}) {
            List<String> urls = outputs(json.get(field));
            if (!urls.isEmpty()) {
                return urls;
            }
        }
        throw new MalformedResponseException("the upload answer has neither urls nor file_urls: " + excerpt(body));
    }

    /** The upload's URLs, one per file sent, or a typed error. */
    public static List<String> checkUploaded(List<String> urls, int files) {
        if (urls.size() != files) {
            throw new MalformedResponseException("the upload answered " + urls.size() + " URLs for " + files + " files");
        }
        return urls;
    }

    /** The credit balance; an absent figure reads as zero. */
    public static CreditBalance credits(byte[] body) {
        JsonNode json = object(body, "credits");
        return new CreditBalance(number(json.get("credits")), number(json.get("free-credits")));
    }

    /** A {@code metrics} object; anything else (absent, null, {@code {}}) is empty. */
    public static JobMetrics metrics(JsonNode m) {
        if (m == null || !m.isObject() || m.isEmpty()) {
            return JobMetrics.empty();
        }
        return JobMetrics.of(optionalNumber(m.get("inference_time")), optionalNumber(m.get("queue_time")),
                optionalNumber(m.get("total_time")), optionalNumber(m.get("cost")), optionalNumber(m.get("remaining_credits")),
                m.hasNonNull("retry_count") && m.get("retry_count").canConvertToInt() && m.get("retry_count").isNumber()
                        ? m.get("retry_count").intValue() : null);
    }

    private static JobStatus status(JsonNode json, byte[] body) {
        JsonNode s = json.get("status");
        if (s == null || !s.isTextual() || s.asText().isBlank()) {
            throw new MalformedResponseException("the answer has no status: " + excerpt(body));
        }
        return JobStatus.of(s.asText());
    }

    private static List<String> outputs(JsonNode output) {
        List<String> list = new ArrayList<>();
        if (output == null || output.isNull()) {
            return list;
        }
        if (output.isArray()) {
            output.forEach(o -> {
                if (o.isTextual()) {
                    list.add(o.asText());
                }
            });
        } else if (output.isTextual()) {
            list.add(output.asText());
        }
        return list;
    }

    private static Double optionalNumber(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return null;
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? d : null;
    }

    private static double number(JsonNode n) {
        Double d = optionalNumber(n);
        return d == null ? 0.0 : d;
    }

    private static JsonNode object(byte[] body, String what) {
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : Json.parse(body);
        } catch (IOException e) {
            throw new MalformedResponseException("the " + what + " answer is not valid JSON: " + excerpt(body), e);
        }
        if (json == null || !json.isObject()) {
            throw new MalformedResponseException("the " + what + " answer is not a JSON object: " + excerpt(body));
        }
        return json;
    }

    static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String s = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return '"' + s + (body.length > 120 ? "..." : "") + '"';
    }
}
