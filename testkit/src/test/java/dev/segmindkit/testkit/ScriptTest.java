package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.json;
import static dev.segmindkit.testkit.Http.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scripted outcomes: per model for the next jobs, per request id, by header or prompt marker, and the validation quirk. */
class ScriptTest extends OnManualClockTest {
    private HttpResponse<byte[]> resultAfter(String id, Duration wait) {
        clock.advance(wait);
        return http.get("/v2/requests/" + id, tenant.apiKey());
    }

    @Test
    void theNextNJobsOfAModelFollowTheScriptThenTheDefaultsResume() {
        tenant.scriptNext("style-transfer", 2, JobScript.fails("NSFW content detected").queuedFor(Duration.ZERO).processingFor(Duration.ofSeconds(1)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(http.submit(tenant, Http.SMALL));
        }

        clock.advance(Duration.ofMinutes(1));

        assertThat(http.get("/v2/requests/" + ids.get(0), tenant.apiKey()).statusCode()).isEqualTo(422);
        assertThat(http.get("/v2/requests/" + ids.get(1), tenant.apiKey()).statusCode()).isEqualTo(422);
        assertThat(http.get("/v2/requests/" + ids.get(2), tenant.apiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void scriptsAreKeptPerModel() {
        tenant.scriptNext("material-transfer", JobScript.fails("boom"));

        String id = http.submit(tenant, Http.SMALL);

        assertThat(resultAfter(id, Duration.ofMinutes(1)).statusCode()).isEqualTo(200);
    }

    @Test
    void v1RunsConsumeScriptsTooAndAFailureIs500() {
        tenant.scriptNext("style-transfer", JobScript.fails("Input image could not be decoded"));

        HttpResponse<byte[]> r = http.post("/v1/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(text(r)).isEqualTo("{\"error\":\"Input image could not be decoded\"}");
    }

    @Test
    void aJobCanCompleteWithGivenImagesServedByTheFake() {
        byte[] red = TestImages.png(5, 5, Color.RED);
        byte[] blue = TestImages.png(6, 6, Color.BLUE);
        tenant.scriptNext("style-transfer", JobScript.completes().withImages(red, blue));
        String id = http.submit(tenant, Http.SMALL);

        JsonNode output = json(resultAfter(id, Duration.ofMinutes(1))).get("output");

        assertThat(output.isArray()).isTrue();
        assertThat(output.get(0).asText()).endsWith("/0.png");
        assertThat(http.get(output.get(0).asText(), null).body()).isEqualTo(red);
        assertThat(http.get(output.get(1).asText(), null).body()).isEqualTo(blue);
    }

    @Test
    void aJobCanCompleteWithGivenOutputStrings() {
        String dataUri = TestImages.dataUri(TestImages.png(2, 2, Color.GREEN));
        tenant.scriptNext("style-transfer", JobScript.completes().withOutput(dataUri));
        String id = http.submit(tenant, Http.SMALL);

        JsonNode output = json(resultAfter(id, Duration.ofMinutes(1))).get("output");

        assertThat(output.asText()).isEqualTo(dataUri);
    }

    @Test
    void aHeaderSteersAJobForBlackBoxApps() {
        HttpRequest request = http.request("/v2/style-transfer").header("x-api-key", tenant.apiKey()).header("Content-Type", "application/json")
                .header("x-segmindkit-script", "fail=Out of memory; queued=500ms; processing=PT3S").POST(HttpRequest.BodyPublishers.ofString(Http.SMALL)).build();
        String id = json(http.send(request)).get("request_id").asText();

        clock.advance(Duration.ofMillis(3499));
        assertThat(json(http.get("/v2/requests/" + id + "/status", tenant.apiKey())).get("status").asText()).isEqualTo("PROCESSING");
        HttpResponse<byte[]> failed = resultAfter(id, Duration.ofMillis(1));
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(json(failed).get("error").asText()).isEqualTo("Out of memory");
    }

    @Test
    void aPromptMarkerSteersAJobForBlackBoxApps() {
        String id = http.submit(tenant, "{\"style_image\": \"https://example.com/s.png\", \"width\": 8, \"height\": 8, "
                + "\"prompt\": \"a castle [[segmindkit: fail; processing=1s]]\"}");

        HttpResponse<byte[]> r = resultAfter(id, Duration.ofSeconds(3));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).get("error").asText()).isEqualTo("Inference failed");
    }

    @Test
    void aSteeringTypoIs400SayingWhatIsWrong() {
        String body = "{\"style_image\": \"https://example.com/s.png\", \"prompt\": \"[[segmindkit: fial]]\"}";

        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("unknown key 'fial'");
        tenant.journal().assertPaidSubmits(0);
    }

    @Test
    void theValidationQuirkAcceptsInvalidParametersAndFailsTheJobLaterWith422() {
        tenant.validationQuirk(true);

        HttpResponse<byte[]> submit = http.post("/v2/style-transfer", tenant.apiKey(), "{\"style_image\": \"x\", \"number_of_images\": 20}");
        String id = json(submit).get("request_id").asText();

        assertThat(submit.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> r = resultAfter(id, Duration.ofMinutes(1));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).get("error").asText()).isEqualTo("number_of_images must be between 1 and 10, got 20");
        assertThat(http.post("/v1/style-transfer", tenant.apiKey(), "{\"style_image\": \"x\", \"seed\": \"one\"}").statusCode()).isEqualTo(500);
    }

    @Test
    void nonsenseScriptsFailAtTheCallSayingWhatIsWrong() {
        assertThatThrownBy(() -> JobScript.completes().queuedFor(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("queuedFor must not be negative, got PT-1S");
        assertThatThrownBy(() -> JobScript.completes().processingFor(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processingFor must not be negative");
        assertThatThrownBy(() -> JobScript.fails(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("error text");
        assertThatThrownBy(() -> JobScript.fails("x").withImages(TestImages.png(1, 1, Color.RED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a failing job has no output");
        assertThatThrownBy(() -> JobScript.completes().withImages(new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images[0] is not");
        assertThatThrownBy(() -> tenant.scriptNext("no-such-model", JobScript.completes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown model 'no-such-model'")
                .hasMessageContaining("style-transfer");
        assertThatThrownBy(() -> tenant.scriptNext("style-transfer", 0, JobScript.completes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 job");
        assertThatThrownBy(() -> tenant.script("not-a-job", JobScript.completes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("this tenant has no job with request id not-a-job (it has no jobs yet)");
        assertThatThrownBy(() -> tenant.timeline(Duration.ofSeconds(-1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tenant.forbid("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tenant.credits(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tenant.rateLimit(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tenant.uploadUrlsField("links")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.newTenant().autoAdvance(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ManualClock");
    }

    @Test
    void anotherTenantsRequestIdCannotBeScripted() {
        String id = http.submit(tenant, Http.SMALL);
        Tenant other = server.newTenant(clock);

        assertThatThrownBy(() -> other.script(id, JobScript.fails("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no job with request id " + id);
    }
}
