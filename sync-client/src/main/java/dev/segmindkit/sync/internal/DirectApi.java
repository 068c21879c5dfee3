package dev.segmindkit.sync.internal;

import dev.segmindkit.core.internal.Json;
import feign.Client;
import feign.Request;
import feign.Response;
import feign.RetryableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@link SegmindApi} written out by hand over Feign's {@link Client}: each method builds its
 * {@link Request} directly (the path, the interface's headers, the key, the JSON body) and sends it.
 *
 * <p>Why not {@code Feign.builder().target(SegmindApi.class, ...)}: Feign's proxy re-resolves the
 * method's request template on every call (URI and header templates expanded, the key added by an
 * interceptor through a template of its own, the body encoded into the template, the answer copied
 * again): about a quarter of the blocking client's CPU samples per job, when the client cost about
 * 1.8 times the CPU of a hand-written {@code java.net.http} loop making the same calls (bench/,
 * benchmark 2). The endpoints are six fixed paths with fixed headers: nothing here needs a template.
 *
 * <p>Failures keep Feign's shape, so {@link Transport} maps them as before: an I/O failure becomes
 * a {@link RetryableException} whose cause is the {@link IOException}.
 */
final class DirectApi implements SegmindApi {
    private static final List<String> JSON = List.of("application/json");
    private static final List<String> IMAGE = List.of("image/*, */*");

    private final Client client;
    private final String baseUrl;
    private final List<String> apiKey;

    /**
     * @param baseUrl the host's base URL, with or without a trailing slash
     * @param apiKey sent as {@code x-api-key} on every request to this host
     */
    DirectApi(Client client, String baseUrl, String apiKey) {
        this.client = client;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = List.of(apiKey);
    }

    @Override
    public Response submit(String model, Object body, Request.Options options) {
        return send(Request.HttpMethod.POST, "/v2/" + segment(model), JSON, Json.write(body), options);
    }

    @Override
    public Response runSync(String model, Object body, Request.Options options) {
        return send(Request.HttpMethod.POST, "/v1/" + segment(model), IMAGE, Json.write(body), options);
    }

    @Override
    public Response status(String requestId, Request.Options options) {
        return send(Request.HttpMethod.GET, "/v2/requests/" + segment(requestId) + "/status", JSON, null, options);
    }

    @Override
    public Response result(String requestId, Request.Options options) {
        return send(Request.HttpMethod.GET, "/v2/requests/" + segment(requestId), JSON, null, options);
    }

    @Override
    public Response credits(Request.Options options) {
        return send(Request.HttpMethod.GET, "/v1/get-user-credits", JSON, null, options);
    }

    @Override
    public Response upload(Object body, Request.Options options) {
        return send(Request.HttpMethod.POST, "/upload-asset", JSON, Json.write(body), options);
    }

    private Response send(Request.HttpMethod method, String path, List<String> accept, byte[] body, Request.Options options) {
        Map<String, Collection<String>> headers = body == null ? Map.of("Accept", accept, "x-api-key", apiKey)
                : Map.of("Accept", accept, "Content-Type", JSON, "x-api-key", apiKey);
        Request request = Request.create(method, baseUrl + path, headers, body, StandardCharsets.UTF_8, null);
        try {
            return client.execute(request, options);
        } catch (IOException e) {
            throw new RetryableException(-1, e.getMessage(), method, e, (Long) null, request);
        }
    }

    /** A path segment: kept as it is when it holds only unreserved characters (slugs and UUIDs do), else percent-encoded. */
    static String segment(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!unreserved(value.charAt(i))) {
                return encode(value);
            }
        }
        return value;
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (unreserved(c)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
