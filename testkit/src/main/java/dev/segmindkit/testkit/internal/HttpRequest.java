package dev.segmindkit.testkit.internal;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/** One HTTP request as the fake's engine read it: the body is whole, header names are lower case. */
public final class HttpRequest {
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, String> headers;
    private final byte[] body;

    HttpRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
    }

    public String method() {
        return method;
    }

    /** The path without the query, still percent-encoded. */
    public String path() {
        return path;
    }

    public String query() {
        return query;
    }

    /** A header's value (repeated headers joined with ", "), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }
}
