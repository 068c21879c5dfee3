package dev.segmindkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.ValidationException;
import dev.segmindkit.core.ValidationException.Violation;
import dev.segmindkit.core.internal.Spec;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input, written once for both clients (issue 8, part 3): every constrained parameter of both
 * models out of range, of the wrong type and missing, as the spec declares them (read at run time,
 * so a constraint added to {@code segmind.yaml} is tested here without an edit); empty and huge
 * prompts; image files that are missing or cannot be read; request ids and model names that are
 * not; invalid base URLs and no key. Each must be a typed error naming the problem, raised before
 * any request: the tenant's journal stays empty, and a client that cannot be built sends nothing
 * anywhere.
 *
 * <p>A client module subclasses this with a {@link #clients()} for its client.
 */
public abstract class BadInputSuite {
    private static final Spec SPEC = Spec.get();
    /** Stands for "leave the parameter out" in the cases below. */
    private static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "(missing)";
        }
    };

    private static FakeSegmindServer server;

    private ManualClock clock;
    private Tenant tenant;
    private ClientAdapter client;

    @TempDir
    protected Path dir;

    /** How this module makes its clients. */
    protected abstract ClientFactory clients();

    @BeforeAll
    static void startServer() {
        server = FakeSegmindServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newTenant() {
        clock = new ManualClock();
        tenant = server.newTenant(clock);
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    private ClientAdapter client() {
        if (client == null) {
            client = clients().newClient(SegmindConfig.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl()).timeSource(clock)
                    .build(), clock);
        }
        return client;
    }

    private void assertNothingWasSent() {
        assertThat(tenant.journal().entries()).as("requests that reached the fake").isEmpty();
    }

    /** The smallest valid parameters of a model the spec describes, as a mutable map. */
    private static Map<String, Object> validParams(String model) {
        Map<String, Object> params = new LinkedHashMap<>();
        SPEC.requestSchema(model).orElseThrow().path("required")
                .forEach(field -> params.put(field.asText(), "https://example.com/" + field.asText() + ".png"));
        return params;
    }

    // ---- every constrained parameter, from the spec ----

    /**
     * For each parameter of each model the spec describes: a value just past each bound, outside
     * its enum, shorter or longer than its lengths, of each wrong JSON type, not finite, and left
     * out when required. Each case: model, field, a short label, the value, the start of the
     * problem the error must name.
     */
    static Stream<Arguments> everyConstraintOfBothModels() {
        List<Arguments> cases = new ArrayList<>();
        for (String model : SPEC.describedModels()) {
            JsonNode schema = SPEC.requestSchema(model).orElseThrow();
            for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                String field = property.getKey();
                JsonNode s = resolve(property.getValue());
                String type = s.path("type").asText();
                boolean integer = type.equals("integer");
                if (s.has("minimum")) {
                    Object below = integer ? (Object) (s.get("minimum").asLong() - 1) : (Object) (s.get("minimum").asDouble() - 0.01);
                    cases.add(Arguments.of(model, field, "below its minimum: " + below, below, "must be"));
                }
                if (s.has("maximum")) {
                    Object above = integer ? (Object) (s.get("maximum").asLong() + 1) : (Object) (s.get("maximum").asDouble() + 0.01);
                    cases.add(Arguments.of(model, field, "above its maximum: " + above, above, "must be"));
                }
                if (s.has("enum")) {
                    cases.add(Arguments.of(model, field, "outside its enum", "not-a-value", "must be one of"));
                }
                if (s.has("minLength")) {
                    int min = s.get("minLength").asInt();
                    cases.add(Arguments.of(model, field, "shorter than " + min, "x".repeat(min - 1), min == 1 ? "must not be empty" : "must be at least"));
                }
                if (s.has("maxLength")) {
                    int max = s.get("maxLength").asInt();
                    cases.add(Arguments.of(model, field, "longer than " + max, "x".repeat(max + 1), "must be at most " + max + " characters"));
                }
                switch (type) {
                    case "string":
                        cases.add(Arguments.of(model, field, "a number", 12, "must be a string"));
                        cases.add(Arguments.of(model, field, "a list", List.of("a"), "must be a string"));
                        break;
                    case "integer":
                        cases.add(Arguments.of(model, field, "a string", "12", "must be an integer"));
                        cases.add(Arguments.of(model, field, "a fraction", 2.5, "must be an integer"));
                        if ("int32".equals(s.path("format").asText())) {
                            cases.add(Arguments.of(model, field, "past 32 bits", 1L << 32, "must be"));
                        }
                        break;
                    case "number":
                        cases.add(Arguments.of(model, field, "a string", "1.5", "must be a number"));
                        cases.add(Arguments.of(model, field, "NaN", Double.NaN, "must be a finite number"));
                        cases.add(Arguments.of(model, field, "infinite", Double.POSITIVE_INFINITY, "must be a finite number"));
                        break;
                    case "boolean":
                        cases.add(Arguments.of(model, field, "a string", "yes", "must be true or false"));
                        break;
                    default:
                        break;
                }
            }
            schema.path("required").forEach(r -> cases.add(Arguments.of(model, r.asText(), "missing", MISSING, "is required")));
        }
        return cases.stream();
    }

    private static JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? schema : SPEC.schema(ref.substring(ref.lastIndexOf('/') + 1)).orElseThrow();
    }

    @ParameterizedTest(name = "{0}.{1} {2}")
    @MethodSource("everyConstraintOfBothModels")
    void everyConstrainedParameterIsRefusedByEveryCallBeforeAnythingIsSent(String model, String field, String label, Object value,
            String problem) {
        Map<String, Object> params = validParams(model);
        if (value == MISSING) {
            params.remove(field);
        } else {
            params.put(field, value);
        }
        ModelRequest request = ModelRequest.of(model, params);
        Path target = dir.resolve("never.png");
        List<ThrowingCallable> calls = List.of(() -> client().submit(request), () -> client().run(request),
                () -> client().runSync(request), () -> client().runSync(request, target));
        for (ThrowingCallable call : calls) {
            Throwable thrown = catchThrowable(call);
            assertThat(thrown).isInstanceOf(ValidationException.class).hasMessageContaining("'" + model + "'")
                    .hasMessageContaining(field + " " + problem);
            assertThat(((ValidationException) thrown).violations()).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo(field);
                assertThat(v.problem()).startsWith(problem);
            });
            // A message names the problem without echoing a huge value back.
            assertThat(thrown.getMessage()).hasSizeLessThan(400);
        }
        assertThat(target).doesNotExist();
        assertNothingWasSent();
    }

    @Test
    void theTypedRequestsMissingTheirImagesAreRefusedNamingEachOne() {
        Throwable style = catchThrowable(() -> client().submit(ModelRequest.styleTransfer(new StyleTransferRequest().prompt("a cat"))));
        assertThat(style).isInstanceOf(ValidationException.class).hasMessageContaining("style_image is required");
        Throwable material = catchThrowable(() -> client().runSync(ModelRequest.materialTransfer(new MaterialTransferRequest())));
        assertThat(((ValidationException) material).violations()).extracting(Violation::field)
                .containsExactly("material_image", "subject_image");
        assertNothingWasSent();
    }

    // ---- prompts ----

    @Test
    void anEmptyPromptIsRefusedForBothModels() {
        assertThatThrownBy(() -> client().submit(ModelRequest.styleTransfer(new StyleTransferRequest()
                .styleImage("https://example.com/s.png").prompt(""))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("prompt must not be empty");
        assertThatThrownBy(() -> client().submit(ModelRequest.materialTransfer(new MaterialTransferRequest()
                .materialImage("https://example.com/m.png").subjectImage("https://example.com/s.png").prompt(""))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("prompt must not be empty");
        assertNothingWasSent();
    }

    /** A prompt of megabytes (an image pasted into the wrong field, say) is refused at once, not uploaded. */
    @Test
    void aHugePromptIsRefusedBeforeItsMegabytesAreSent() {
        String huge = "a lighthouse ".repeat(400_000);
        int max = SPEC.requestSchema("style-transfer").orElseThrow().at("/properties/prompt/maxLength").asInt();
        assertThat(max).as("the spec's prompt limit").isPositive();
        StyleTransferRequest style = new StyleTransferRequest().styleImage("https://example.com/s.png").prompt(huge);
        assertThatThrownBy(() -> client().submit(ModelRequest.styleTransfer(style))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("prompt must be at most " + max + " characters, got " + huge.length());
        MaterialTransferRequest material = new MaterialTransferRequest().materialImage("https://example.com/m.png")
                .subjectImage("https://example.com/s.png").negativePrompt(huge);
        assertThatThrownBy(() -> client().runSync(ModelRequest.materialTransfer(material))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("negative_prompt must be at most " + max + " characters");
        // The longest allowed prompt is accepted, so the limit is not lower than the spec says.
        StyleTransferRequest longest = new StyleTransferRequest().styleImage("https://example.com/s.png").prompt("p".repeat(max));
        assertThat(client().submit(ModelRequest.styleTransfer(longest))).isNotBlank();
        assertThat(tenant.journal().entries()).hasSize(1);
    }

    // ---- image files ----

    static Stream<Arguments> badImageFiles() {
        return Stream.of(
                Arguments.of("missing", (Function<Path, Path>) d -> d.resolve("nowhere.png"), IllegalArgumentException.class, "does not exist"),
                Arguments.of("a directory", (Function<Path, Path>) d -> d, IllegalArgumentException.class, "is a directory"),
                Arguments.of("empty", (Function<Path, Path>) d -> write(d.resolve("empty.png"), new byte[0]), IllegalArgumentException.class,
                        "is empty"),
                Arguments.of("not an image", (Function<Path, Path>) d -> write(d.resolve("notes.txt"), "hello".getBytes()),
                        IllegalArgumentException.class, "is not a PNG, JPEG, WebP, GIF, BMP or TIFF image"),
                // Under a plain file: exists as a path, yet no process (root included) can read it.
                Arguments.of("unreadable", (Function<Path, Path>) d -> write(d.resolve("file.png"), RecordingOrigin.IMAGE).resolve("inner.png"),
                        UncheckedIOException.class, "could not be read"));
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "an image file that is {0}")
    @MethodSource("badImageFiles")
    void anImageFileThatCannotBeSentIsRefusedNamingTheFileBeforeAnyUpload(String label, Function<Path, Path> make,
            Class<? extends Throwable> type, String problem) {
        Path bad = make.apply(dir);
        Path good = write(dir.resolve("good.png"), RecordingOrigin.IMAGE);
        for (ThrowingCallable call : List.<ThrowingCallable>of(() -> client().upload(bad), () -> client().upload(good, bad))) {
            assertThatThrownBy(call).isInstanceOf(type).hasMessageContaining(bad.toString()).hasMessageContaining(problem);
        }
        assertThatThrownBy(() -> dev.segmindkit.core.ImageInput.file(bad)).isInstanceOf(type).hasMessageContaining(problem);
        assertNothingWasSent();
    }

    @Test
    void anUploadOfNoFilesIsRefused() {
        assertThatThrownBy(() -> client().upload()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one file");
        assertNothingWasSent();
    }

    // ---- request ids and model names ----

    @ParameterizedTest(name = "request id \"{0}\"")
    @ValueSource(strings = {"", "  ", "../v1/get-user-credits", "abc/def", "id with spaces", "id?x=1", "%2e%2e", "caf\u00e9"})
    void aRequestIdThatCannotBeOneIsRefusedBeforeAnythingIsSent(String id) {
        List<ThrowingCallable> calls = List.of(() -> client().status(id), () -> client().result(id),
                () -> client().await(id, PollingPolicy.defaults()), () -> client().watch(id, PollingPolicy.defaults()));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request id");
        }
        assertNothingWasSent();
    }

    @ParameterizedTest(name = "model \"{0}\"")
    @ValueSource(strings = {"", "../v1/get-user-credits", "requests/x", "style transfer", "-leading-dash"})
    void aModelNameThatIsNotASlugIsRefused(String model) {
        assertThatThrownBy(() -> ModelRequest.of(model, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a model name is a slug");
    }

    // ---- building a client: base URL and key ----

    /** Base URLs that must never be used: each with the words the error must hold. */
    static Stream<Arguments> badBaseUrls() {
        String absolute = "must be an absolute http(s) URL";
        String clear = "plain http";
        return Stream.of(Arguments.of("garbage", absolute), Arguments.of("", absolute), Arguments.of("   ", absolute),
                Arguments.of("ht tp://api.segmind.com", "is not a valid URL"), Arguments.of("https://api.segmind.com/a b", "is not a valid URL"),
                Arguments.of("api.segmind.com", absolute), Arguments.of("//api.segmind.com", absolute),
                Arguments.of("localhost:8080", absolute), Arguments.of("/v2", absolute), Arguments.of("ftp://api.segmind.com", absolute),
                Arguments.of("file:///etc/passwd", absolute), Arguments.of("https://", "is not a valid URL"),
                Arguments.of("http://api.segmind.com", clear), Arguments.of("http://10.1.2.3:8080", clear),
                Arguments.of("http://192.168.1.20", clear), Arguments.of("http://[fe80::1]:8080", clear),
                Arguments.of("http://localhost.example.com", clear), Arguments.of("http://127.0.0.1.nip.io", clear),
                Arguments.of("https://user:secret@api.segmind.com", "must not carry user info"),
                Arguments.of("https://api.segmind.com/?key=1", "must not carry user info, a query or a fragment"));
    }

    @ParameterizedTest(name = "base URL \"{0}\"")
    @MethodSource("badBaseUrls")
    void anInvalidBaseUrlIsRefusedByTheBuilderAndNothingIsSent(String url, String problem) {
        try (RecordingOrigin anywhere = RecordingOrigin.serving()) {
            Throwable thrown = catchThrowable(() -> clients().buildWith(tenant.apiKey(), url).close());
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl").hasMessageContaining(problem)
                    .hasMessageNotContaining("user:secret");
            assertThatThrownBy(() -> SegmindConfig.builder().baseUrl(url)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(problem);
            assertThat(anywhere.requests()).isEmpty();
        }
        assertNothingWasSent();
    }

    @Test
    void noKeyFailsTheBuildSayingHowToSetOneAndNothingIsSent() {
        try (RecordingOrigin api = RecordingOrigin.serving()) {
            assertThatThrownBy(() -> clients().buildWith(null, api.baseUrl().toString()).close()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No Segmind API key").hasMessageContaining("SEGMIND_API_KEY");
            assertThat(api.requests()).isEmpty();
        }
    }

    @ParameterizedTest(name = "key \"{0}\"")
    @ValueSource(strings = {"", "   ", "SG_abc def", "SG_abc\r\nX-Injected: 1", "SG_\u00e9t\u00e9"})
    void aKeyThatCannotBeSentAsAHeaderIsRefusedWithoutEchoingIt(String key) {
        try (RecordingOrigin api = RecordingOrigin.serving()) {
            Throwable thrown = catchThrowable(() -> clients().buildWith(key, api.baseUrl().toString()).close());
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("API key");
            if (!key.isBlank()) {
                assertThat(thrown.getMessage()).doesNotContain(key.strip());
            }
            assertThat(api.requests()).isEmpty();
        }
    }
}
