package dev.segmindkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The standalone jar as a black box: started from the built jar as its own process on loopback,
 * spoken to with plain {@code java.net.http} and nothing of the SDK, the way a non-JVM user sees
 * it. One test per behaviour of the service that issue 13 listed (testkit/README.md's fidelity
 * table points here). Runs in the integration-test phase, after the jar is packaged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneJarIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String KEY = "SG_b1acb0c5b1acb0c5";
    private static final String PUBLIC = "http://segmind-fake.test:9999";
    private static final String STYLE = "{\"style_image\": \"https://example.com/style.png\", \"width\": 16, \"height\": 16}";
    private static final String MATERIAL = "{\"material_image\": \"https://example.com/m.png\", \"subject_image\": \"https://example.com/s.png\","
            + " \"max_width\": 16, \"max_height\": 16}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Process process;
    private URI base;
    private HttpClient http;
    private final List<String> output = new ArrayList<>();

    @BeforeAll
    void startTheJar() {
        // Only the integration-test execution names the jar; a -Dtest run of the unit tests that
        // happens to match this class skips it rather than test a jar not yet built.
        assumeTrue(System.getProperty("segmindkit.standaloneJar") != null, "run by the standalone-jar execution, after package");
        assertTimeoutPreemptively(BOUND, () -> {
            Path jar = Paths.get(System.getProperty("segmindkit.standaloneJar"));
            assertThat(Files.isRegularFile(jar)).as("the standalone jar " + jar + " is built before this test runs").isTrue();
            Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port", "0", "--host", "127.0.0.1", "--api-key", KEY,
                    "--time", "manual", "--public-url", PUBLIC).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.add(line);
                if (line.startsWith("segmindkit fake Segmind server listening on ")) {
                    base = URI.create(line.substring(line.indexOf("http://")));
                }
                if (line.startsWith("control API: ")) {
                    break;
                }
            }
            assertThat(base).as("the jar's banner: " + output).isNotNull();
            assertThat(base.getHost()).isEqualTo("127.0.0.1");
        });
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stopTheJar() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    // ---- the behaviours ----

    @Test
    void pollUrlIsTheLegacyV1EndpointAndItAnswersAsTheStatusDoes() {
        bounded(() -> {
            String key = tenant("{}");
            JsonNode submitted = json(post("/v2/style-transfer", key, STYLE, "application/json"));
            String id = submitted.get("request_id").asText();

            assertThat(submitted.get("poll_url").asText()).isEqualTo(PUBLIC + "/v1/requests/" + id);
            assertThat(submitted.get("status_url").asText()).isEqualTo(PUBLIC + "/v2/requests/" + id + "/status");
            assertThat(submitted.get("response_url").asText()).isEqualTo(PUBLIC + "/v2/requests/" + id);
            HttpResponse<String> legacy = get("/v1/requests/" + id, key);
            assertThat(legacy.statusCode()).isEqualTo(200);
            assertThat(legacy.body()).isEqualTo(get("/v2/requests/" + id + "/status", key).body());
        });
    }

    @Test
    void statusCarriesStatusAndResponseUrlsWhileQueuedOrProcessingOnly() {
        bounded(() -> {
            String key = tenant("{\"own_clock\": true}");
            String id = json(post("/v2/style-transfer", key, STYLE, "application/json")).get("request_id").asText();

            JsonNode queued = json(get("/v2/requests/" + id + "/status", key));
            advance(key, "PT5S");
            JsonNode processing = json(get("/v2/requests/" + id + "/status", key));
            advance(key, "PT1M");
            JsonNode completed = json(get("/v2/requests/" + id + "/status", key));

            assertThat(queued.get("status").asText()).isEqualTo("QUEUED");
            assertThat(queued.get("metrics").size()).isZero();
            for (JsonNode running : new JsonNode[] {queued, processing}) {
                assertThat(running.get("status_url").asText()).isEqualTo(PUBLIC + "/v2/requests/" + id + "/status");
                assertThat(running.get("response_url").asText()).isEqualTo(PUBLIC + "/v2/requests/" + id);
            }
            assertThat(processing.get("status").asText()).isEqualTo("PROCESSING");
            assertThat(completed.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(completed.has("status_url")).isFalse();
        });
    }

    @Test
    void aFailedJobIsNotChargedItsMetricsHoldTimingsOnlyAndTheBalanceStays() {
        bounded(() -> {
            String key = tenant("{\"own_clock\": true}");
            control("/tenants/" + key + "/scripts", "{\"model\": \"style-transfer\", \"outcome\": \"failed\", \"error\": \"Out of memory\"}");
            String id = json(post("/v2/style-transfer", key, STYLE, "application/json")).get("request_id").asText();
            advance(key, "PT1M");

            HttpResponse<String> status = get("/v2/requests/" + id + "/status", key);
            HttpResponse<String> result = get("/v2/requests/" + id, key);

            assertThat(status.statusCode()).isEqualTo(422);
            assertThat(result.statusCode()).isEqualTo(422);
            assertThat(json(status).get("metrics").fieldNames()).toIterable().containsExactly("inference_time", "queue_time", "total_time");
            assertThat(json(result).get("metrics").fieldNames()).toIterable().containsExactly("inference_time", "queue_time", "total_time");
            assertThat(get("/v1/get-user-credits", key).body()).isEqualTo("{\"credits\":100,\"free-credits\":0}");
        });
    }

    @Test
    void aFailedV1CallIsNotBilled() {
        bounded(() -> {
            String key = tenant("{\"own_clock\": true}");
            control("/tenants/" + key + "/scripts", "{\"model\": \"style-transfer\", \"outcome\": \"failed\", \"error\": \"Out of memory\"}");

            assertThat(post("/v1/style-transfer", key, STYLE, "application/json").statusCode()).isEqualTo(500);
            assertThat(get("/v1/get-user-credits", key).body()).isEqualTo("{\"credits\":100,\"free-credits\":0}");
        });
    }

    @Test
    void eachModelIsChargedItsOwnRealPrice() {
        bounded(() -> {
            String key = tenant("{\"own_clock\": true}");
            String style = json(post("/v2/style-transfer", key, STYLE, "application/json")).get("request_id").asText();
            String material = json(post("/v2/material-transfer", key, MATERIAL, "application/json")).get("request_id").asText();
            advance(key, "PT5M");

            assertThat(json(get("/v2/requests/" + style, key)).get("metrics").get("cost").asDouble()).isEqualTo(0.0257);
            assertThat(json(get("/v2/requests/" + material, key)).get("metrics").get("cost").asDouble()).isEqualTo(0.25);
            assertThat(json(get("/v1/get-user-credits", key)).get("credits").asDouble()).isEqualTo(99.7243);
        });
    }

    @Test
    void aPostWithoutContentTypeIs406AndMakesNoJob() {
        bounded(() -> {
            String key = tenant("{}");

            HttpResponse<String> r = post("/v2/style-transfer", key, STYLE, null);

            assertThat(r.statusCode()).isEqualTo(406);
            assertThat(json(r).get("error").asText()).isEqualTo("Content-Type must be application/json or multipart/form-data");
            assertThat(json(get("/__fake/tenants/" + key, null)).get("request_ids").size()).isZero();
        });
    }

    @Test
    void v1AcceptsAMultipartForm() {
        bounded(() -> {
            String key = tenant("{}");
            String boundary = "segmindkitBoundary7";
            String form = part(boundary, "style_image", "https://example.com/s.png") + part(boundary, "width", "24")
                    + part(boundary, "height", "16") + part(boundary, "output_format", "png") + "--" + boundary + "--\r\n";

            HttpResponse<String> r = post("/v1/style-transfer", key, form, "multipart/form-data; boundary=" + boundary);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("image/png");
            assertThat(r.headers().firstValue("x-cost")).hasValue("0.0257");
        });
    }

    @Test
    void aParameterRejectedAtRunTimeFailsWithinMillisecondsAndIsNotBilled() {
        bounded(() -> {
            String key = tenant("{\"own_clock\": true, \"validation_quirk\": true}");
            String id = json(post("/v2/style-transfer", key, "{\"style_image\": \"x\", \"width\": \"wide\"}", "application/json"))
                    .get("request_id").asText();
            advance(key, "PT0.01S");

            HttpResponse<String> r = get("/v2/requests/" + id + "/status", key);

            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(json(r).get("error").asText()).isEqualTo("width must be an integer, got \"wide\"");
            assertThat(json(r).get("metrics").get("total_time").asDouble()).isEqualTo(0.01);
            assertThat(get("/v1/get-user-credits", key).body()).isEqualTo("{\"credits\":100,\"free-credits\":0}");
        });
    }

    @Test
    void absoluteUrlsComeFromTheConfiguredPublicBaseUrlNotTheHostHeader() {
        bounded(() -> {
            String key = tenant("{}");
            HttpRequest forged = HttpRequest.newBuilder(base.resolve("/v2/style-transfer")).timeout(Duration.ofSeconds(10))
                    .header("x-api-key", key).header("Content-Type", "application/json").header("Host", "evil.example")
                    .POST(HttpRequest.BodyPublishers.ofString(STYLE)).build();

            JsonNode body = json(http.send(forged, HttpResponse.BodyHandlers.ofString()));

            assertThat(body.toString()).doesNotContain("evil.example");
            assertThat(body.get("status_url").asText()).startsWith(PUBLIC + "/v2/requests/");
        });
    }

    @Test
    void insufficientCreditsNameTheBalanceAndThePriceNeeded() {
        bounded(() -> {
            String key = tenant("{\"credits\": 0.1}");

            HttpResponse<String> r = post("/v2/material-transfer", key, MATERIAL, "application/json");

            assertThat(r.statusCode()).isEqualTo(406);
            assertThat(json(r).get("error").asText())
                    .isEqualTo("Insufficient credits: your balance is 0.1 credits and this job needs 0.25. Please add credits to your account");
        });
    }

    @Test
    void theControlRootAnswersAnIndex() {
        bounded(() -> {
            HttpResponse<String> r = get("/__fake/", null);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("endpoints").findValuesAsText("path")).contains("/__fake/tenants/{key}/settings", "/__fake/reset");
            assertThat(json(r).get("settings").has("retire")).isTrue();
        });
    }

    @Test
    void everySettingCanBeSetAndTakenBackRetireToo() {
        bounded(() -> {
            String key = tenant("{\"retire\": [\"style-transfer\"], \"forbid\": [\"material-transfer\"], \"prices\": {\"style-transfer\": 1}}");
            assertThat(post("/v2/style-transfer", key, STYLE, "application/json").statusCode()).isEqualTo(410);
            assertThat(post("/v2/material-transfer", key, MATERIAL, "application/json").statusCode()).isEqualTo(403);

            control("/tenants/" + key + "/settings", "{\"retire\": [], \"forbid\": [], \"prices\": {\"style-transfer\": null}}");

            HttpResponse<String> ok = post("/v2/style-transfer", key, STYLE, "application/json");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(post("/v2/material-transfer", key, MATERIAL, "application/json").statusCode()).isEqualTo(200);
            assertThat(json(get("/__fake/tenants/" + key, null)).get("prices").get("style-transfer").asDouble()).isEqualTo(0.0257);
        });
    }

    @Test
    void theJarTakesEveryOptionOfTheSharedParser() {
        bounded(() -> {
            assertThat(output).contains("API key: " + KEY).contains("public base URL: " + PUBLIC);
            Path jar = Paths.get(System.getProperty("segmindkit.standaloneJar"));
            Process help = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "--help")
                    .redirectErrorStream(true).start();
            String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(help.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(text).contains(FakeServerOptions.OPTIONS);
        });
    }

    // ---- plain HTTP ----

    private interface Body {
        void run() throws Exception;
    }

    private static void bounded(Body body) {
        assertTimeoutPreemptively(BOUND, () -> {
            body.run();
            return null;
        });
    }

    private String tenant(String settings) throws IOException, InterruptedException {
        return control("/tenants", settings).get("api_key").asText();
    }

    private void advance(String key, String by) throws IOException, InterruptedException {
        control("/tenants/" + key + "/clock/advance", "{\"by\": \"" + by + "\"}");
    }

    private JsonNode control(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/__fake" + path, null, body, "application/json");
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json(r);
    }

    private HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) {
            b.header("x-api-key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String key, String body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("x-api-key", key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static String part(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
}
