package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.json;
import static dev.segmindkit.testkit.Http.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the service charges (only jobs that produce output, at each model's own price) and which
 * request bodies it takes (JSON, a v1 form; nothing without a Content-Type), in-process. The
 * standalone jar's black-box test checks the same from outside.
 */
class BillingAndContentTypeTest extends OnManualClockTest {
    private static final String MATERIAL = "{\"material_image\": \"https://example.com/m.png\", \"subject_image\": \"https://example.com/s.png\","
            + " \"max_width\": 16, \"max_height\": 16}";

    @Test
    void aFailedJobIsNotChargedAndItsMetricsHoldTimingsOnly() {
        tenant.scriptNext("style-transfer", JobScript.fails("Out of memory"));
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofMinutes(1));

        HttpResponse<byte[]> status = http.get("/v2/requests/" + id + "/status", tenant.apiKey());
        HttpResponse<byte[]> result = http.get("/v2/requests/" + id, tenant.apiKey());

        assertThat(status.statusCode()).isEqualTo(422);
        assertThat(result.statusCode()).isEqualTo(422);
        for (JsonNode metrics : new JsonNode[] {json(status).get("metrics"), json(result).get("metrics")}) {
            assertThat(metrics.fieldNames()).toIterable().containsExactly("inference_time", "queue_time", "total_time");
        }
        assertThat(tenant.credits()).isEqualTo(100.0);
        assertThat(text(http.get("/v1/get-user-credits", tenant.apiKey()))).isEqualTo("{\"credits\":100,\"free-credits\":0}");
    }

    @Test
    void aFailedV1CallIsNotBilled() {
        tenant.scriptNext("style-transfer", JobScript.fails("Out of memory"));

        assertThat(http.post("/v1/style-transfer", tenant.apiKey(), Http.SMALL).statusCode()).isEqualTo(500);
        assertThat(tenant.credits()).isEqualTo(100.0);
    }

    @Test
    void eachModelHasItsRealPriceByDefaultChargedWhenTheJobCompletes() {
        String style = http.submit(tenant, Http.SMALL);
        String material = json(http.post("/v2/material-transfer", tenant.apiKey(), MATERIAL)).get("request_id").asText();
        assertThat(tenant.credits()).as("nothing is charged before a job completes").isEqualTo(100.0);

        clock.advance(Duration.ofMinutes(5));

        assertThat(json(http.get("/v2/requests/" + style, tenant.apiKey())).get("metrics").get("cost").asDouble()).isEqualTo(0.0257);
        JsonNode m = json(http.get("/v2/requests/" + material, tenant.apiKey())).get("metrics");
        assertThat(m.get("cost").asDouble()).isEqualTo(0.25);
        assertThat(m.get("remaining_credits").asDouble()).as("charged in the order the jobs ended").isEqualTo(99.7243);
        assertThat(tenant.credits()).isEqualTo(99.7243);
        assertThat(tenant.priceOf("flux-schnell")).isEqualTo(FakeSegmindServer.OTHER_MODEL_PRICE);
    }

    @Test
    void pricesAndTimelinesAreSettingsThatCanBeTakenBack() {
        tenant.price("style-transfer", 1.5).timeline("style-transfer", Duration.ZERO, Duration.ofSeconds(3));
        assertThat(tenant.priceOf("style-transfer")).isEqualTo(1.5);
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofSeconds(3));
        assertThat(json(http.get("/v2/requests/" + id + "/status", tenant.apiKey())).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(tenant.credits()).isEqualTo(98.5);

        tenant.clearPrices().clearTimelines().jobCost(2).clearPrices();

        assertThat(tenant.priceOf("style-transfer")).isEqualTo(0.0257);
        String again = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofSeconds(3));
        assertThat(json(http.get("/v2/requests/" + again + "/status", tenant.apiKey())).get("status").asText())
                .as("back on 2 s queued and 17 s processing").isEqualTo("PROCESSING");
    }

    @Test
    void serverWidePricesAndTimelinesApplyToTenantsWithoutTheirOwn() {
        try (FakeSegmindServer priced = FakeSegmindServer.builder().clock(clock).price("style-transfer", 0.5)
                .timeline("style-transfer", Duration.ZERO, Duration.ofSeconds(1)).start()) {
            Tenant t = priced.newTenant();
            Http h = new Http(priced);
            h.submit(t, Http.SMALL);
            clock.advance(Duration.ofSeconds(1));

            assertThat(t.credits()).isEqualTo(99.5);
        }
        assertThatThrownBy(() -> FakeSegmindServer.builder().price("style-transfer", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void insufficientCreditsNameTheBalanceAndThePriceAndCountJobsInFlight() {
        tenant.credits(0.04);
        http.submit(tenant, Http.SMALL);

        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(json(r).get("error").asText()).isEqualTo("Insufficient credits: your balance is 0.04 credits (0.0257 of them held by jobs"
                + " in flight) and this job needs 0.0257. Please add credits to your account");
        clock.advance(Duration.ofMinutes(1));
        assertThat(json(http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL)).get("error").asText())
                .isEqualTo("Insufficient credits: your balance is 0.0143 credits and this job needs 0.0257. Please add credits to your account");
    }

    @Test
    void aPostWithoutContentTypeIs406AndCreatesNoJob() {
        HttpRequest request = http.request("/v2/style-transfer").header("x-api-key", tenant.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(Http.SMALL)).build();

        HttpResponse<byte[]> r = http.send(request);

        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(text(r)).isEqualTo("{\"error\":\"Content-Type must be application/json or multipart/form-data\"}");
        tenant.journal().assertPaidSubmits(0);
        assertThat(http.send(http.request("/v1/style-transfer").header("x-api-key", tenant.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(Http.SMALL)).build()).statusCode()).isEqualTo(406);
    }

    @Test
    void v1TakesAMultipartFormAndReadsEachFieldAsItsSpecType() {
        String boundary = "----segmindkit42";
        String form = part(boundary, "style_image", "https://example.com/s.png") + part(boundary, "width", "40")
                + part(boundary, "height", "30") + part(boundary, "output_format", "png") + part(boundary, "seed", "7") + "--" + boundary + "--\r\n";
        HttpRequest request = http.request("/v1/style-transfer").header("x-api-key", tenant.apiKey())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();

        HttpResponse<byte[]> r = http.send(request);

        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(r.headers().firstValue("x-seed-value")).hasValue("7");
        String bad = part(boundary, "style_image", "x") + part(boundary, "width", "wide") + "--" + boundary + "--\r\n";
        HttpResponse<byte[]> refused = http.send(http.request("/v1/style-transfer").header("x-api-key", tenant.apiKey())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofString(bad)).build());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("error").asText()).isEqualTo("width must be an integer, got \"wide\"");
    }

    @Test
    void withTheQuirkARejectedParameterFailsWithinMillisecondsAndIsNotBilled() {
        tenant.validationQuirk(true);
        String id = http.submit(tenant, "{\"style_image\": \"x\", \"width\": \"wide\"}");

        clock.advance(FakeApi.RUN_TIME_REJECTION);
        HttpResponse<byte[]> r = http.get("/v2/requests/" + id + "/status", tenant.apiKey());

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).get("metrics").get("total_time").asDouble()).isEqualTo(0.01);
        assertThat(json(r).get("metrics").has("cost")).isFalse();
        assertThat(tenant.credits()).isEqualTo(100.0);
        HttpResponse<byte[]> v1 = http.post("/v1/style-transfer", tenant.apiKey(), "{\"style_image\": \"x\", \"width\": \"wide\"}");
        assertThat(v1.statusCode()).isEqualTo(500);
        assertThat(clock.now()).as("a v1 call rejected at run time answers at once").isEqualTo(ManualClock.DEFAULT_START.plusMillis(10));
        assertThat(tenant.credits()).isEqualTo(100.0);
    }

    @Test
    void forbiddenAndRetiredModelsCanBeTakenBack() {
        tenant.forbid("style-transfer").retire("material-transfer");
        assertThat(http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL).statusCode()).isEqualTo(403);
        assertThat(http.post("/v2/material-transfer", tenant.apiKey(), MATERIAL).statusCode()).isEqualTo(410);

        tenant.permit("style-transfer").unretire("material-transfer");

        assertThat(http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL).statusCode()).isEqualTo(200);
        assertThat(http.post("/v2/material-transfer", tenant.apiKey(), MATERIAL).statusCode()).isEqualTo(200);
    }

    private static String part(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
}
