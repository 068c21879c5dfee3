package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmindkit.core.ValidationException;
import dev.segmindkit.core.ValidationException.Violation;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.StyleTransferModel;
import dev.segmindkit.model.StyleTransferRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidationTest {
    private static final Spec SPEC = Spec.get();

    private static ObjectNode validStyle() {
        return (ObjectNode) Json.tree(new StyleTransferRequest().styleImage("https://img/style.png"));
    }

    private static ObjectNode validMaterial() {
        return (ObjectNode) Json.tree(new MaterialTransferRequest().materialImage("https://img/m.png").subjectImage("https://img/s.png"));
    }

    private static ObjectNode valid(String model) {
        return model.equals("style-transfer") ? validStyle() : validMaterial();
    }

    @Test
    void theSpecDescribesExactlyTheTwoModels() {
        assertThat(SPEC.describedModels()).containsExactly("material-transfer", "style-transfer");
        assertThat(SPEC.typicalDuration("style-transfer")).contains(Duration.ofSeconds(17));
        assertThat(SPEC.typicalDuration("material-transfer")).contains(Duration.ofSeconds(164));
        assertThat(SPEC.typicalDuration("some-other-model")).isEmpty();
    }

    @Test
    void defaultRequestsOfBothModelsAreValid() {
        assertThat(SPEC.validate("style-transfer", validStyle())).isEmpty();
        assertThat(SPEC.validate("material-transfer", validMaterial())).isEmpty();
    }

    /**
     * Every constrained field the spec declares, walked from the spec itself, with a value just
     * outside each bound: a constraint added to segmind.yaml is tested without touching this file.
     */
    static Stream<Arguments> everyConstraintInTheSpec() {
        List<Arguments> cases = new ArrayList<>();
        for (String model : SPEC.describedModels()) {
            JsonNode schema = SPEC.requestSchema(model).orElseThrow();
            for (Map.Entry<String, JsonNode> p : schema.get("properties").properties()) {
                JsonNode s = p.getValue().has("$ref")
                        ? SPEC.schema(p.getValue().get("$ref").asText().replace("#/components/schemas/", "")).orElseThrow()
                        : p.getValue();
                String field = p.getKey();
                boolean integer = "integer".equals(s.path("type").asText());
                double step = integer ? 1 : 0.01;
                if (s.has("minimum")) {
                    cases.add(Arguments.of(model, field, Json.MAPPER.valueToTree(integer ? (Object) (s.get("minimum").asLong() - 1)
                            : (Object) (s.get("minimum").asDouble() - step)), "must be"));
                }
                if (s.has("maximum")) {
                    cases.add(Arguments.of(model, field, Json.MAPPER.valueToTree(integer ? (Object) (s.get("maximum").asLong() + 1)
                            : (Object) (s.get("maximum").asDouble() + step)), "must be"));
                }
                if (s.has("enum")) {
                    cases.add(Arguments.of(model, field, Json.MAPPER.valueToTree("not-a-value"), "must be one of"));
                }
                if (s.has("minLength")) {
                    cases.add(Arguments.of(model, field, Json.MAPPER.valueToTree(""), "must not be empty"));
                }
                String type = s.path("type").asText();
                if (!type.equals("string")) {
                    cases.add(Arguments.of(model, field, Json.MAPPER.valueToTree("text"), "must be"));
                } else {
                    cases.add(Arguments.of(model, field, Json.MAPPER.valueToTree(12), "must be a string"));
                }
            }
            schema.get("required").forEach(r -> cases.add(Arguments.of(model, r.asText(), null, "is required")));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @MethodSource("everyConstraintInTheSpec")
    void everyConstrainedFieldIsCheckedAsTheSpecDeclaresIt(String model, String field, JsonNode value, String expected) {
        ObjectNode params = valid(model);
        if (value == null) {
            params.remove(field);
        } else {
            params.set(field, value);
        }
        List<Violation> violations = SPEC.validate(model, params);
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.problem()).startsWith(expected);
        });
    }

    @ParameterizedTest(name = "{0}.{1} = {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "style-transfer|number_of_images|11|must be between 1 and 10, got 11",
        "style-transfer|number_of_images|0|must be between 1 and 10, got 0",
        "style-transfer|number_of_images|2.5|must be an integer, got 2.5",
        "style-transfer|output_quality|101|must be between 0 and 100, got 101",
        "style-transfer|output_quality|-1|must be between 0 and 100, got -1",
        "style-transfer|structure_depth_strength|2.01|must be between 0 and 2, got 2.01",
        "style-transfer|structure_denoising_strength|1.5|must be between 0 and 1, got 1.5",
        "style-transfer|model|\"turbo\"|must be one of fast, high-quality, realistic, cinematic, animated, got \"turbo\"",
        "style-transfer|output_format|\"gif\"|must be one of webp, jpg, png, got \"gif\"",
        "style-transfer|style_image|\"\"|must not be empty",
        "style-transfer|width|\"wide\"|must be an integer, got \"wide\"",
        "style-transfer|seed|1e3|",
        "material-transfer|guidance_scale|0.5|must be between 1 and 10, got 0.5",
        "material-transfer|guidance_scale|10.5|must be between 1 and 10, got 10.5",
        "material-transfer|material_strength|\"weak\"|must be one of medium, strong, got \"weak\"",
        "material-transfer|output_quality|1000|must be between 0 and 100, got 1000",
        "material-transfer|return_intermediate_images|\"yes\"|must be true or false, got \"yes\"",
        "material-transfer|subject_image|\"\"|must not be empty",
    })
    void messagesNameTheFieldAndTheAllowedRangeOrValues(String model, String field, String json, String problem) throws Exception {
        ObjectNode params = valid(model);
        params.set(field, Json.MAPPER.readTree(json));
        List<Violation> violations = SPEC.validate(model, params);
        if (problem == null) {
            assertThat(violations).isEmpty();
        } else {
            assertThat(violations).containsExactly(new Violation(field, problem));
        }
    }

    @Test
    void nonFiniteNumbersAreViolationsNotCrashes() {
        assertThat(SPEC.validate("material-transfer", validMaterial().put("guidance_scale", Double.NaN)))
                .containsExactly(new Violation("guidance_scale", "must be a finite number, got NaN"));
        assertThat(SPEC.validate("style-transfer", validStyle().put("structure_depth_strength", Double.POSITIVE_INFINITY)))
                .containsExactly(new Violation("structure_depth_strength", "must be a finite number, got Infinity"));
        assertThat(SPEC.validate("style-transfer", validStyle().put("width", Double.NaN)))
                .containsExactly(new Violation("width", "must be an integer, got NaN"));
        assertThatThrownBy(() -> SPEC.check("material-transfer", Json.tree(new MaterialTransferRequest().materialImage("https://img/m.png")
                .subjectImage("https://img/s.png").guidanceScale(Double.NEGATIVE_INFINITY)))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("guidance_scale must be a finite number, got -Infinity");
    }

    @Test
    void integersMustFitTheirDeclaredFormat() {
        assertThat(SPEC.validate("style-transfer", validStyle().put("width", 1L << 32)))
                .containsExactly(new Violation("width", "must be a 32-bit integer, between -2147483648 and 2147483647, got 4294967296"));
        assertThat(SPEC.validate("style-transfer", validStyle().put("width", Integer.MAX_VALUE))).isEmpty();
        assertThat(SPEC.validate("style-transfer", validStyle().put("seed", Long.MAX_VALUE))).isEmpty();
        assertThat(SPEC.validate("style-transfer", validStyle().put("seed", new java.math.BigInteger("9223372036854775808"))))
                .singleElement().satisfies(v -> assertThat(v.problem()).startsWith("must be a 64-bit integer"));
    }

    @Test
    void promptsAreNeitherEmptyNorHuge() {
        assertThat(SPEC.validate("style-transfer", validStyle().put("prompt", "")))
                .containsExactly(new Violation("prompt", "must not be empty"));
        assertThat(SPEC.validate("material-transfer", validMaterial().put("prompt", "x".repeat(10_001))))
                .containsExactly(new Violation("prompt", "must be at most 10000 characters, got 10001"));
        assertThat(SPEC.validate("material-transfer", validMaterial().put("prompt", "x".repeat(10_000)))).isEmpty();
        assertThat(SPEC.validate("style-transfer", validStyle().put("negative_prompt", ""))).isEmpty();
    }

    @Test
    void everyViolationIsNamedAtOnce() {
        StyleTransferRequest request = new StyleTransferRequest().numberOfImages(12).outputQuality(-5)
                .model(StyleTransferModel.UNKNOWN_DEFAULT_OPEN_API);
        assertThatThrownBy(() -> SPEC.check("style-transfer", Json.tree(request)))
                .isInstanceOf(ValidationException.class)
                .hasMessage("invalid 'style-transfer' request: style_image is required; "
                        + "model must be one of fast, high-quality, realistic, cinematic, animated, got \"unknown_default_open_api\"; "
                        + "number_of_images must be between 1 and 10, got 12; output_quality must be between 0 and 100, got -5")
                .satisfies(e -> assertThat(((ValidationException) e).violations()).extracting(Violation::field)
                        .containsExactly("style_image", "model", "number_of_images", "output_quality"));
    }

    @Test
    void parametersOfModelsTheSpecDoesNotDescribePassThrough() {
        ObjectNode anything = Json.MAPPER.createObjectNode().put("number_of_images", 999).put("prompt", 12);
        assertThat(SPEC.validate("flux-schnell", anything)).isEmpty();
    }

    @Test
    void unknownParametersOfDescribedModelsPassThrough() {
        assertThat(SPEC.validate("style-transfer", validStyle().put("new_service_param", true))).isEmpty();
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertThat(SPEC.validate("style-transfer", Json.MAPPER.valueToTree(List.of(1))))
                .containsExactly(new Violation("(body)", "must be a JSON object of parameters"));
    }

    @Test
    void aChangedRangeInTheSpecChangesTheCheck() throws Exception {
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Spec.class.getResourceAsStream(Spec.RESOURCE));
        ObjectNode n = (ObjectNode) root.at("/components/schemas/StyleTransferRequest/properties/number_of_images");
        n.put("maximum", 4);
        Spec edited = new Spec(root);
        assertThat(edited.validate("style-transfer", validStyle().put("number_of_images", 5)))
                .containsExactly(new Violation("number_of_images", "must be between 1 and 4, got 5"));
        assertThat(SPEC.validate("style-transfer", validStyle().put("number_of_images", 5))).isEmpty();
    }
}
