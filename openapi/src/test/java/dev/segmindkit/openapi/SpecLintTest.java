package dev.segmindkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.math.BigDecimal;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lints the spec as packaged (the classpath resource users and the testkit read) beyond what the
 * generator's validation checks: every operation and field documented, every error status
 * answered, and the two models' parameters exactly as the service's model pages give them.
 */
class SpecLintTest {
    private static final List<String> ERROR_STATUSES =
            List.of("400", "401", "403", "404", "405", "406", "410", "429", "500", "502", "503", "504");
    private static OpenAPI api;
    private static List<String> messages;

    @BeforeAll
    static void parse() {
        URL resource = SpecLintTest.class.getResource("/dev/segmindkit/openapi/segmind.yaml");
        assertThat(resource).as("segmind.yaml packaged as a resource").isNotNull();
        assertThat(SpecLintTest.class.getResource("/dev/segmindkit/openapi/segmind.json")).as("segmind.json packaged").isNotNull();
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readLocation(resource.toString(), null, options);
        api = result.getOpenAPI();
        messages = result.getMessages() == null ? List.of() : result.getMessages();
    }

    @Test
    void parsesWithoutAnyMessage() {
        assertThat(messages).isEmpty();
        assertThat(api.getOpenapi()).isEqualTo("3.0.3");
    }

    @Test
    void hasEveryOperationTheSdkSpeaks() {
        assertThat(api.getPaths()).containsOnlyKeys("/v1/style-transfer", "/v1/material-transfer", "/v1/{model}", "/v2/style-transfer",
                "/v2/material-transfer", "/v2/{model}", "/v2/requests/{request_id}/status", "/v2/requests/{request_id}",
                "/v1/requests/{request_id}", "/v1/get-user-credits", "/upload-asset");
        assertThat(api.getPaths().get("/upload-asset").getServers()).singleElement()
                .satisfies(s -> assertThat(s.getUrl()).isEqualTo("https://workflows-api.segmind.com"));
        assertThat(api.getServers()).singleElement().satisfies(s -> assertThat(s.getUrl()).isEqualTo("https://api.segmind.com"));
    }

    @Test
    void everyOperationIsNamedDescribedAndAnswersEveryErrorStatus() {
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((verb, op) -> {
            String where = verb + " " + path;
            assertThat(op.getOperationId()).as(where + " operationId").isNotBlank();
            assertThat(op.getSummary()).as(where + " summary").isNotBlank();
            assertThat(op.getResponses()).as(where + " responses").containsKey("200").containsKeys(ERROR_STATUSES.toArray(String[]::new));
        }));
        for (String path : List.of("/v2/requests/{request_id}/status", "/v2/requests/{request_id}", "/v1/requests/{request_id}")) {
            Operation get = api.getPaths().get(path).getGet();
            assertThat(get.getResponses()).as(path).containsKey("422");
        }
    }

    @Test
    void v1AnswersImageBytesWithTheCostHeaders() {
        var image = api.getComponents().getResponses().get("Image");
        assertThat(image.getHeaders()).containsKeys("x-cost", "x-remaining-credits", "x-request-id", "x-generation-time", "x-seed-value");
        assertThat(image.getContent()).containsKeys("image/jpeg", "image/webp", "image/png");
        assertThat(api.getComponents().getResponses().get("TooManyRequests").getHeaders())
                .containsKeys("x-rate-limit-reset-at-utc", "Retry-After");
    }

    @Test
    void authenticatesWithTheApiKeyHeader() {
        SecurityScheme scheme = api.getComponents().getSecuritySchemes().get("apiKey");
        assertThat(scheme.getType()).isEqualTo(SecurityScheme.Type.APIKEY);
        assertThat(scheme.getIn()).isEqualTo(SecurityScheme.In.HEADER);
        assertThat(scheme.getName()).isEqualTo("x-api-key");
    }

    @Test
    void hasTheNamedSchemasAndDocumentsEveryField() {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        assertThat(schemas).containsKeys("StyleTransferRequest", "MaterialTransferRequest", "StyleTransferModel", "OutputFormat",
                "MaterialStrength", "SubmitResponse", "RequestStatus", "StatusResponse", "InferenceResult", "MediaOutput", "Metrics",
                "ErrorResponse", "Credits", "UploadRequest", "UploadResponse");
        List<String> undocumented = new ArrayList<>();
        schemas.forEach((name, schema) -> {
            if (schema.getDescription() == null) {
                undocumented.add(name);
            }
            if (schema.getProperties() != null) {
                ((Map<String, Schema>) schema.getProperties()).forEach((field, p) -> {
                    if (p.get$ref() == null && p.getDescription() == null) {
                        undocumented.add(name + "." + field);
                    }
                });
            }
        });
        assertThat(undocumented).as("schemas and fields without a description").isEmpty();
    }

    @Test
    void imageParametersArePlainStringsNotUris() {
        for (String[] f : new String[][] {{"StyleTransferRequest", "style_image"}, {"StyleTransferRequest", "structure_image"},
                {"MaterialTransferRequest", "material_image"}, {"MaterialTransferRequest", "subject_image"}}) {
            Schema<?> s = property(f[0], f[1]);
            assertThat(s.getType()).isEqualTo("string");
            assertThat(s.getFormat()).as(f[1]).isNull();
            assertThat(s.getMinLength()).isEqualTo(1);
        }
    }

    @Test
    void styleTransferParametersAreThoseOfTheModelPage() {
        Schema<?> r = api.getComponents().getSchemas().get("StyleTransferRequest");
        assertThat(r.getRequired()).containsExactly("style_image");
        assertThat(enumOf("StyleTransferModel")).containsExactly("fast", "high-quality", "realistic", "cinematic", "animated");
        assertThat(api.getComponents().getSchemas().get("StyleTransferModel").getDefault()).isEqualTo("fast");
        assertThat(enumOf("OutputFormat")).containsExactly("webp", "jpg", "png");
        assertThat(api.getComponents().getSchemas().get("OutputFormat").getDefault()).isEqualTo("webp");
        assertThat(property("StyleTransferRequest", "negative_prompt").getDefault()).isEqualTo("");
        range("StyleTransferRequest", "width", null, null, 1024);
        range("StyleTransferRequest", "height", null, null, 1024);
        range("StyleTransferRequest", "number_of_images", 1, 10, 1);
        range("StyleTransferRequest", "output_quality", 0, 100, 80);
        range("StyleTransferRequest", "structure_depth_strength", 0, 2, 1);
        range("StyleTransferRequest", "structure_denoising_strength", 0, 1, 0.65);
        assertThat(property("StyleTransferRequest", "seed").getDefault()).isNull();
        assertThat(property("StyleTransferRequest", "seed").getFormat()).isEqualTo("int64");
    }

    @Test
    void materialTransferParametersAreThoseOfTheModelPage() {
        Schema<?> r = api.getComponents().getSchemas().get("MaterialTransferRequest");
        assertThat(r.getRequired()).containsExactlyInAnyOrder("material_image", "subject_image");
        assertThat(property("MaterialTransferRequest", "prompt").getDefault()).isEqualTo("marble sculpture");
        assertThat(enumOf("MaterialStrength")).containsExactly("medium", "strong");
        range("MaterialTransferRequest", "guidance_scale", 1, 10, 2);
        range("MaterialTransferRequest", "max_width", null, null, 1920);
        range("MaterialTransferRequest", "max_height", null, null, 1920);
        range("MaterialTransferRequest", "steps", null, null, 6);
        range("MaterialTransferRequest", "output_quality", 0, 100, 80);
        assertThat(property("MaterialTransferRequest", "return_intermediate_images").getDefault()).isEqualTo(false);
        assertThat(property("MaterialTransferRequest", "output_format").get$ref()).endsWith("/OutputFormat");
    }

    @Test
    void statusesAndOutputsAreAsTheServiceSendsThem() {
        assertThat(enumOf("RequestStatus")).containsExactly("QUEUED", "PROCESSING", "COMPLETED", "FAILED");
        Schema<?> output = api.getComponents().getSchemas().get("MediaOutput");
        assertThat(output.getOneOf()).extracting(Schema::getType).containsExactly("string", "array");
        assertThat(api.getComponents().getSchemas().get("Credits").getProperties()).containsOnlyKeys("credits", "free-credits");
        assertThat(api.getComponents().getSchemas().get("UploadResponse").getProperties()).containsOnlyKeys("urls", "file_urls");
        assertThat(api.getComponents().getSchemas().get("Metrics").getProperties()).containsOnlyKeys("inference_time", "queue_time",
                "total_time", "cost", "remaining_credits", "retry_count");
    }

    @SuppressWarnings("unchecked")
    private static Schema<?> property(String schema, String field) {
        Schema<?> s = (Schema<?>) api.getComponents().getSchemas().get(schema).getProperties().get(field);
        assertThat(s).as(schema + "." + field).isNotNull();
        return s;
    }

    private static List<String> enumOf(String schema) {
        List<String> values = new ArrayList<>();
        api.getComponents().getSchemas().get(schema).getEnum().forEach(v -> values.add(String.valueOf(v)));
        return values;
    }

    private static void range(String schema, String field, Number min, Number max, Number dflt) {
        Schema<?> s = property(schema, field);
        assertThat(s.getMinimum()).as(field + " minimum").isEqualTo(min == null ? null : new BigDecimal(min.toString()));
        assertThat(s.getMaximum()).as(field + " maximum").isEqualTo(max == null ? null : new BigDecimal(max.toString()));
        assertThat(new BigDecimal(String.valueOf(s.getDefault()))).as(field + " default").isEqualByComparingTo(dflt.toString());
        assertThat(Set.of("integer", "number")).contains(s.getType());
    }
}
