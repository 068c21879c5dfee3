package dev.segmindkit.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import feign.Client;
import feign.Contract;
import feign.MethodMetadata;
import feign.Request;
import feign.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectApi} writes out by hand what {@link SegmindApi}'s Feign annotations declare: read
 * with Feign's own contract, each annotation must give exactly the verb, path and headers
 * DirectApi sends, so the two cannot drift apart.
 */
class DirectApiContractTest {
    private static final String ID = "0f8e2b6c-4c2a-4f0e-9d7a-2b1c3d4e5f60";

    private final List<Request> sent = new ArrayList<>();
    private final Client recording = (request, options) -> {
        sent.add(request);
        return Response.builder().status(200).request(request).headers(Map.of()).body(new byte[0]).build();
    };

    @SuppressWarnings("deprecation") // Feign's default contract is what the annotations on SegmindApi are written for
    @Test
    void everyEndpointGoesOutAsItsAnnotationsDeclare() throws Exception {
        DirectApi api = new DirectApi(recording, "https://api.example.com/", "SG_0123456789abcdef");
        Request.Options options = new Request.Options();
        Map<String, Consumer<DirectApi>> calls = Map.of(
                "submit", a -> a.submit("style-transfer", Map.of("prompt", "x"), options),
                "runSync", a -> a.runSync("style-transfer", Map.of("prompt", "x"), options),
                "status", a -> a.status(ID, options),
                "result", a -> a.result(ID, options),
                "credits", a -> a.credits(options),
                "upload", a -> a.upload(Map.of("data_urls", List.of()), options));

        List<MethodMetadata> declared = new Contract.Default().parseAndValidateMetadata(SegmindApi.class);
        assertThat(declared).extracting(m -> m.method().getName()).containsExactlyInAnyOrderElementsOf(calls.keySet());
        for (MethodMetadata endpoint : declared) {
            String name = endpoint.method().getName();
            sent.clear();
            calls.get(name).accept(api);
            Request request = sent.get(0);

            assertThat(request.httpMethod().name()).as(name).isEqualTo(endpoint.template().method());
            String path = endpoint.template().url().replace("{model}", "style-transfer").replace("{id}", ID);
            assertThat(URI.create(request.url()).getRawPath()).as(name).isEqualTo(path);
            Map<String, Collection<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(request.headers());
            endpoint.template().headers().forEach((header, values) ->
                    assertThat(String.join(", ", headers.getOrDefault(header, List.of()))).as(name + " " + header)
                            .isEqualTo(String.join(", ", values)));
            assertThat(headers.get("x-api-key")).as(name).containsExactly("SG_0123456789abcdef");
        }
    }
}
