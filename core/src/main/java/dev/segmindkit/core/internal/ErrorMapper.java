package dev.segmindkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.AuthenticationException;
import dev.segmindkit.core.BadRequestException;
import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InsufficientCreditsException;
import dev.segmindkit.core.ModelRetiredException;
import dev.segmindkit.core.NotFoundException;
import dev.segmindkit.core.PermissionDeniedException;
import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.ServerException;
import dev.segmindkit.core.UnexpectedStatusException;
import dev.segmindkit.core.UnprocessableEntityException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one mapping from an HTTP error answer to an exception, used by both clients: the status
 * picks the type, the body gives the service's message (robust to empty, HTML and unexpected
 * bodies), the headers give the request id, rate-limit reset and credits. A 422 whose body says
 * FAILED is a job outcome and becomes {@link InferenceFailedException}.
 */
public final class ErrorMapper {
    private static final int MAX_MESSAGE = 300;
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private ErrorMapper() {
    }

    /**
     * The exception for an error answer.
     *
     * @param status the HTTP status (expected 4xx or 5xx; anything else is "unexpected")
     * @param headers the response headers
     * @param body the response body, possibly empty
     * @param operation what was asked, such as {@code GET /v2/requests/{id}/status}, for the message
     * @param requestId the job's id when the caller knows it, else null
     * @param now the current time, to read a {@code Retry-After} date
     */
    public static SegmindException map(int status, Map<String, ? extends List<String>> headers, byte[] body, String operation,
            String requestId, Instant now) {
        return map(status, headers, body, operation, requestId, now, null);
    }

    /**
     * As {@link #map(int, Map, byte[], String, String, Instant)}, with {@code apiKey} masked
     * wherever the answer echoes it (in its body or its headers), so that an exception's message,
     * its {@code errorMessage()} and its {@code headers()} never show the key, whatever a server or
     * gateway sends back.
     *
     * @param apiKey the key the request was sent with, or null
     */
    public static SegmindException map(int status, Map<String, ? extends List<String>> headers, byte[] body, String operation,
            String requestId, Instant now, String apiKey) {
        if (apiKey != null && !apiKey.isEmpty()) {
            body = maskInBody(body, apiKey);
            headers = maskInHeaders(headers, apiKey);
        }
        JsonNode json = parseObject(body);
        String bodyRequestId = json == null ? null : text(json, "request_id");
        String id = requestId != null ? requestId
                : bodyRequestId != null ? bodyRequestId : HttpHeaders.first(headers, "x-request-id").orElse(null);
        if (status == 422 && json != null && "FAILED".equalsIgnoreCase(text(json, "status"))) {
            String error = text(json, "error");
            return new InferenceFailedException(id == null ? "(unknown)" : id,
                    error == null ? "the service gave no reason" : abbreviate(error), Wire.metrics(json.get("metrics")));
        }
        SegmindApiException.Details details = new SegmindApiException.Details(status, message(status, json, body),
                HttpHeaders.normalize(headers), id, operation, HttpHeaders.rateLimitResetAt(headers).orElse(null),
                HttpHeaders.retryAfter(headers, now).orElse(null), HttpHeaders.firstDouble(headers, "x-remaining-credits").orElse(null));
        switch (status) {
            case 400: return new BadRequestException(details);
            case 401: return new AuthenticationException(details);
            case 403: return new PermissionDeniedException(details);
            case 404: return new NotFoundException(details);
            case 406: return new InsufficientCreditsException(details);
            case 410: return new ModelRetiredException(details);
            case 422: return new UnprocessableEntityException(details);
            case 429: return new RateLimitException(details);
            default:
                return status >= 500 && status <= 599 ? new ServerException(details) : new UnexpectedStatusException(details);
        }
    }

    private static byte[] maskInBody(byte[] body, String apiKey) {
        if (body == null || body.length == 0) {
            return body;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return text.contains(apiKey) ? text.replace(apiKey, "****").getBytes(StandardCharsets.UTF_8) : body;
    }

    private static Map<String, List<String>> maskInHeaders(Map<String, ? extends List<String>> headers, String apiKey) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        headers.forEach((name, values) -> out.put(name, values == null ? List.of()
                : values.stream().map(v -> v == null ? null : v.replace(apiKey, "****")).collect(java.util.stream.Collectors.toList())));
        return out;
    }

    private static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = Json.parse(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String message(int status, JsonNode json, byte[] body) {
        if (json != null) {
            for (String field : new String[] {"error", "message", "detail"}) {
                JsonNode value = json.get(field);
                if (value != null && !value.isNull()) {
                    String text = value.isTextual() ? value.asText() : value.toString();
                    if (!text.isBlank()) {
                        return abbreviate(text.strip());
                    }
                }
            }
            return reason(status);
        }
        if (body != null && body.length > 0) {
            String text = new String(body, 0, Math.min(body.length, 64 * 1024), StandardCharsets.UTF_8);
            if (json == null && text.toLowerCase(Locale.ROOT).contains("<html")) {
                Matcher title = TITLE.matcher(text);
                text = title.find() ? title.group(1) : TAG.matcher(text).replaceAll(" ");
            }
            text = text.replaceAll("\\s+", " ").strip();
            if (!text.isEmpty()) {
                return abbreviate(text);
            }
        }
        return reason(status);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
    }

    private static String reason(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 410: return "Gone";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "HTTP " + status;
        }
    }
}
