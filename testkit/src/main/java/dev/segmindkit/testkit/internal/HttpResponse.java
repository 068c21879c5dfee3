package dev.segmindkit.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the engine does with a request: send an answer, or (for faults) reset the connection
 * without one, or send the headers and part of the body and then close.
 */
public final class HttpResponse {
    /** How the answer leaves the server. */
    public enum Delivery {
        /** The whole answer; the connection stays open if the client wants it. */
        COMPLETE,
        /** No answer: the connection is reset. */
        RESET,
        /** The headers with the full Content-Length and half the body; then the connection is closed. */
        TRUNCATED
    }

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Delivery delivery;

    private HttpResponse(int status, Map<String, String> headers, byte[] body, Delivery delivery) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.delivery = delivery;
    }

    public static HttpResponse of(int status, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return new HttpResponse(status, headers, body, Delivery.COMPLETE);
    }

    public static HttpResponse json(int status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse json(int status, byte[] json) {
        return of(status, "application/json", json);
    }

    public static HttpResponse reset() {
        return new HttpResponse(0, new LinkedHashMap<>(), new byte[0], Delivery.RESET);
    }

    /** This answer with one more header. */
    public HttpResponse header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpResponse(status, copy, body, delivery);
    }

    /** This answer with another body, same headers. */
    public HttpResponse withBody(int newStatus, byte[] newBody) {
        return new HttpResponse(newStatus, headers, newBody, delivery);
    }

    public HttpResponse delivered(Delivery how) {
        return new HttpResponse(status, headers, body, how);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public byte[] body() {
        return body;
    }

    public Delivery delivery() {
        return delivery;
    }
}
