package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JsonTree reads and writes exactly the trees and bytes the ObjectMapper does, without one. */
class JsonTreeTest {
    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "{\"a\":1}", "{\"a\":2147483648,\"b\":-9223372036854775809,\"c\":9223372036854775807}",
        "{\"f\":1.5,\"g\":1e400,\"h\":-0.0,\"i\":0.1,\"j\":12345678901234567890.5}", "[true,false,null,\"x\",\"\\u00e9\\n\"]",
        "{\"a\":{\"b\":[1,[2,[3,{}]]]},\"c\":[]}", "{\"dup\":1,\"dup\":\"last\"}", "{\"a\":1} trailing", "  42  ", "\"text\"", "null",
        "{\"style_image\":\"https://example.com/style.png\",\"seed\":7,\"guidance_scale\":3.5}", "", "   "})
    void parsesTheTreeTheMapperParses(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode expected = Json.parse(bytes);
        JsonNode actual = JsonTree.parse(bytes);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.getNodeType()).isEqualTo(expected.getNodeType());
        if (!expected.isMissingNode()) {
            assertThat(new String(JsonTree.write(actual), StandardCharsets.UTF_8)).isEqualTo(new String(Json.write(expected), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":}", "[1,2", "{\"a\" 1}", "nope", "{\"a\":NaN}", "{'a':1}"})
    void refusesWhatTheMapperRefuses(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.parse(bytes)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JsonTree.parse(bytes)).isInstanceOf(IOException.class);
    }

    @Test
    void theSpecReadsAsTheMapperReadsIt() throws IOException {
        JsonNode expected;
        try (InputStream in = Spec.class.getResourceAsStream(Spec.RESOURCE)) {
            expected = Json.MAPPER.readTree(in);
        }
        JsonNode actual = JsonTree.parseResource(Spec.class.getResourceAsStream(Spec.RESOURCE), Spec.RESOURCE);
        assertThat(actual).isEqualTo(expected);
        assertThat(JsonTree.write(actual)).isEqualTo(Json.write(expected));
    }

    @Test
    void writesBuiltTreesAsTheMapperDoes() {
        var node = JsonTree.object().put("request_id", "abc").put("status", "PROCESSING").put("n", 3L)
                .put("cost", new java.math.BigDecimal("0.30")).put("q", 2.0f);
        node.putObject("metrics").put("queue_time", 2.0);
        node.putArray("output").add("http://x/1.png").add(7);
        assertThat(JsonTree.write(node)).isEqualTo(Json.write(node));
        assertThat(JsonTree.object()).isEqualTo(Json.MAPPER.createObjectNode());
    }
}
