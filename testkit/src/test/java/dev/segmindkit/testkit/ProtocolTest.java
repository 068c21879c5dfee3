package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.json;
import static dev.segmindkit.testkit.Http.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every endpoint and every error answer, as a client on the wire sees them. */
class ProtocolTest extends OnManualClockTest {
    @Test
    void newKeysLookLikeRealOnes() {
        assertThat(tenant.apiKey()).matches("SG_[0-9a-f]{16}");
        assertThat(server.newTenant().apiKey()).isNotEqualTo(tenant.apiKey());
    }

    @Test
    void submitAnswersQueuedWithAbsoluteUrlsPointingAtTheFake() {
        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json(r);
        String id = body.get("request_id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(body.get("status").asText()).isEqualTo("QUEUED");
        String base = server.baseUrl().toString();
        assertThat(body.get("poll_url").asText()).as("the older v1 poll endpoint").isEqualTo(base + "/v1/requests/" + id);
        assertThat(body.get("status_url").asText()).isEqualTo(base + "/v2/requests/" + id + "/status");
        assertThat(body.get("response_url").asText()).isEqualTo(base + "/v2/requests/" + id);
    }

    @Test
    void absoluteUrlsComeFromTheServersOwnBaseUrlNotFromTheHostHeader() {
        HttpRequest request = http.request("http://localhost:" + server.port() + "/v2/style-transfer")
                .header("x-api-key", tenant.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.SMALL)).build();

        JsonNode body = json(http.send(request));

        assertThat(body.get("status_url").asText()).startsWith(server.baseUrl() + "/v2/requests/");
    }

    @Test
    void absoluteUrlsUseTheConfiguredPublicBaseUrl() {
        try (FakeSegmindServer proxied = FakeSegmindServer.builder().clock(clock).publicBaseUrl(java.net.URI.create("https://fake.example:8443/")).start()) {
            Tenant t = proxied.newTenant();
            Http h = new Http(proxied);
            JsonNode body = json(h.post("/v2/style-transfer", t.apiKey(), Http.SMALL));
            String id = body.get("request_id").asText();

            assertThat(body.get("status_url").asText()).isEqualTo("https://fake.example:8443/v2/requests/" + id + "/status");
            assertThat(body.get("poll_url").asText()).isEqualTo("https://fake.example:8443/v1/requests/" + id);
            clock.advance(Duration.ofMinutes(1));
            assertThat(json(h.get("/v2/requests/" + id, t.apiKey())).get("output").asText()).isEqualTo("https://fake.example:8443/media/" + id + "/0.webp");
        }
    }

    @Test
    void theLegacyV1PollEndpointAnswersAsTheStatusDoes() {
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofSeconds(5));

        HttpResponse<byte[]> legacy = http.get("/v1/requests/" + id, tenant.apiKey());

        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(text(legacy)).isEqualTo(text(http.get("/v2/requests/" + id + "/status", tenant.apiKey())));
        assertThat(http.get("/v1/requests/" + java.util.UUID.randomUUID(), tenant.apiKey()).statusCode()).isEqualTo(404);
    }

    @Test
    void statusIsQueuedWithEmptyMetricsRightAfterSubmit() {
        String id = http.submit(tenant, Http.SMALL);

        HttpResponse<byte[]> r = http.get("/v2/requests/" + id + "/status", tenant.apiKey());

        assertThat(r.statusCode()).isEqualTo(200);
        String base = server.baseUrl() + "/v2/requests/" + id;
        assertThat(text(r)).isEqualTo("{\"request_id\":\"" + id + "\",\"status\":\"QUEUED\",\"metrics\":{},\"status_url\":\"" + base
                + "/status\",\"response_url\":\"" + base + "\"}");
    }

    @Test
    void resultOfACompletedJobHasTheOutputUrlAndMetrics() {
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofMinutes(1));

        HttpResponse<byte[]> r = http.get("/v2/requests/" + id, tenant.apiKey());

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(body.get("output").asText()).isEqualTo(server.baseUrl() + "/media/" + id + "/0.webp");
        JsonNode metrics = body.get("metrics");
        assertThat(metrics.get("queue_time").asDouble()).isEqualTo(2.0);
        assertThat(metrics.get("inference_time").asDouble()).isEqualTo(17.0);
        assertThat(metrics.get("total_time").asDouble()).isEqualTo(19.0);
        assertThat(metrics.get("cost").asDouble()).isEqualTo(0.0257);
        assertThat(metrics.get("remaining_credits").asDouble()).isEqualTo(99.9743);
        assertThat(body.has("status_url")).as("only while queued or processing").isFalse();
    }

    @Test
    void outputMediaIsPublicAndNeedsNoKey() {
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofMinutes(1));
        String url = json(http.get("/v2/requests/" + id, tenant.apiKey())).get("output").asText();

        HttpResponse<byte[]> image = http.get(url, null);

        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("content-type")).hasValue("image/webp");
        assertThat(new String(image.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    }

    @Test
    void mediaOfAnUnfinishedOrUnknownJobIsNotFound() {
        String id = http.submit(tenant, Http.SMALL);

        assertThat(http.get("/media/" + id + "/0.webp", null).statusCode()).isEqualTo(404);
        assertThat(http.get("/media/" + UUID.randomUUID() + "/0.webp", null).statusCode()).isEqualTo(404);
        clock.advance(Duration.ofMinutes(1));
        assertThat(http.get("/media/" + id + "/1.webp", null).statusCode()).isEqualTo(404);
        assertThat(http.get("/media/" + id + "/0.webp", null).statusCode()).isEqualTo(200);
    }

    @Test
    void mediaOutlivesTheRequestRetentionButNotSevenDays() {
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofHours(2));

        assertThat(http.get("/v2/requests/" + id, tenant.apiKey()).statusCode()).isEqualTo(404);
        assertThat(http.get("/media/" + id + "/0.webp", null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofDays(7));
        assertThat(http.get("/media/" + id + "/0.webp", null).statusCode()).isEqualTo(404);
    }

    @Test
    void v1AnswersImageBytesWithTheCostAndSeedHeaders() {
        HttpResponse<byte[]> r = http.post("/v1/style-transfer", tenant.apiKey(),
                "{\"style_image\": \"https://example.com/s.png\", \"width\": 40, \"height\": 30, \"seed\": 1234, \"output_format\": \"jpg\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThat(r.headers().firstValue("x-cost")).hasValue("0.0257");
        assertThat(r.headers().firstValue("x-remaining-credits")).hasValue("99.9743");
        assertThat(r.headers().firstValue("x-seed-value")).hasValue("1234");
        assertThat(r.headers().firstValue("x-generation-time")).hasValue("17.0");
        assertThat(UUID.fromString(r.headers().firstValue("x-request-id").orElseThrow())).isNotNull();
        assertThat(r.headers().firstValue("x-rate-limit-reset-at-utc")).isPresent();
        assertThat(r.body()[0] & 0xFF).isEqualTo(0xFF);
        assertThat(r.body()[1] & 0xFF).isEqualTo(0xD8);
    }

    @Test
    void v1RunTakesItsTimeOnTheTenantsClockWithoutBlocking() {
        http.post("/v1/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(19));
    }

    @Test
    void v1ServesRegisteredModelsTooAsJpegByDefault() {
        HttpResponse<byte[]> r = http.post("/v1/flux-schnell", tenant.apiKey(), "{\"prompt\": \"a cat\", \"width\": 16, \"height\": 16}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("image/jpeg");
    }

    @Test
    void creditsAnswerBothBalancesAndJobsSpendFreeCreditsFirst() {
        tenant.credits(5).freeCredits(0.01).jobCost(0.03);
        http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofMinutes(1));

        HttpResponse<byte[]> r = http.get("/v1/get-user-credits", tenant.apiKey());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("{\"credits\":4.98,\"free-credits\":0}");
        assertThat(tenant.credits()).isEqualTo(4.98);
    }

    @Test
    void uploadAnswersFileUrlsThatServeTheAssetBack() {
        byte[] png = TestImages.png(8, 8, java.awt.Color.RED);
        String dataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);

        HttpResponse<byte[]> r = http.post("/upload-asset", tenant.apiKey(), "{\"data_urls\": [\"" + dataUri + "\", \"" + dataUri + "\"]}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode urls = json(r).get("file_urls");
        assertThat(urls).hasSize(2);
        assertThat(urls.get(0).asText()).startsWith(server.baseUrl() + "/assets/").endsWith(".png");
        HttpResponse<byte[]> asset = http.get(urls.get(0).asText(), null);
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(asset.body()).isEqualTo(png);
    }

    @Test
    void uploadAnswersUrlsWhenTheTestAsksForThatName() {
        tenant.uploadUrlsField("urls");
        String dataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(TestImages.png(4, 4, java.awt.Color.BLUE));

        JsonNode body = json(http.post("/upload-asset", tenant.apiKey(), "{\"data_urls\": [\"" + dataUri + "\"]}"));

        assertThat(body.has("file_urls")).isFalse();
        assertThat(body.get("urls")).hasSize(1);
    }

    @Test
    void uploadRefusesWhatIsNotADataUri() {
        HttpResponse<byte[]> r = http.post("/upload-asset", tenant.apiKey(), "{\"data_urls\": [\"https://example.com/a.png\"]}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("{\"error\":\"data_urls[0] is not a base64 data URI\"}");
        assertThat(http.post("/upload-asset", tenant.apiKey(), "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void missingKeyIs401WithTheRealMessage() {
        HttpResponse<byte[]> r = http.post("/v2/style-transfer", null, Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(text(r)).isEqualTo("{\"error\":\"Missing Authorization or x-api-key in header\"}");
    }

    @Test
    void unknownKeyIs401WithTheRealMessage() {
        HttpResponse<byte[]> r = http.get("/v1/get-user-credits", "SG_0000000000000000");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(text(r)).isEqualTo("{\"error\":\"Unauthorized. API key is invalid or may have expired\"}");
    }

    @Test
    void aBearerAuthorizationHeaderAloneIs401() {
        HttpRequest request = http.request("/v1/get-user-credits").header("Authorization", "Bearer " + tenant.apiKey()).GET().build();

        HttpResponse<byte[]> r = http.send(request);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(text(r)).isEqualTo("{\"error\":\"Unauthorized. API key is invalid or may have expired\"}");
    }

    @Test
    void aRevokedKeyIs401AndItsJobsAreGone() {
        String id = http.submit(tenant, Http.SMALL);
        tenant.revoke();

        assertThat(http.get("/v2/requests/" + id + "/status", tenant.apiKey()).statusCode()).isEqualTo(401);
        assertThat(server.tenant(tenant.apiKey())).isEmpty();
    }

    @Test
    void unknownModelIs404() {
        HttpResponse<byte[]> r = http.post("/v2/no-such-model", tenant.apiKey(), "{}");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(text(r)).isEqualTo("{\"error\":\"Model no-such-model not found\"}");
        assertThat(http.post("/v1/no-such-model", tenant.apiKey(), "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownRequestIdIs404OnBothGets() {
        String id = UUID.randomUUID().toString();

        HttpResponse<byte[]> status = http.get("/v2/requests/" + id + "/status", tenant.apiKey());
        HttpResponse<byte[]> result = http.get("/v2/requests/" + id, tenant.apiKey());

        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(text(status)).isEqualTo("{\"error\":\"Request " + id + " not found\"}");
        assertThat(result.statusCode()).isEqualTo(404);
        assertThat(text(result)).isEqualTo("{\"error\":\"Request " + id + " not found\"}");
    }

    @Test
    void anotherTenantsRequestIdIsNotFound() {
        String id = http.submit(tenant, Http.SMALL);
        Tenant other = server.newTenant(clock);

        HttpResponse<byte[]> r = http.get("/v2/requests/" + id + "/status", other.apiKey());

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(text(r)).isEqualTo("{\"error\":\"Request " + id + " not found\"}");
        assertThat(other.journal().entries()).hasSize(1);
        assertThat(tenant.journal().entries()).hasSize(1);
    }

    @ParameterizedTest(name = "{0} {1} is 405")
    @CsvSource({"GET, /v2/style-transfer", "GET, /v1/style-transfer", "POST, /v2/requests/abc/status", "POST, /v2/requests/abc",
            "POST, /v1/get-user-credits", "GET, /upload-asset", "DELETE, /v2/style-transfer", "PUT, /v2/requests/abc"})
    void wrongVerbIs405WithAnHtmlBody(String method, String path) {
        HttpRequest request = http.request(path).header("x-api-key", tenant.apiKey())
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}")).build();

        HttpResponse<byte[]> r = http.send(request);

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/html");
        assertThat(text(r)).contains("<title>405 Not Allowed</title>");
    }

    @Test
    void unknownPathIs404() {
        assertThat(http.get("/v3/whatever", tenant.apiKey()).statusCode()).isEqualTo(404);
        assertThat(http.get("/__fake/health", null).statusCode()).isEqualTo(404);
    }

    @Test
    void noCreditsIs406AndCreatesNoJob() {
        tenant.credits(0.01);

        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(json(r).get("error").asText()).startsWith("Insufficient credits");
        tenant.journal().assertPaidSubmits(0);
        assertThat(http.post("/v1/style-transfer", tenant.apiKey(), Http.SMALL).statusCode()).isEqualTo(406);
    }

    @Test
    void aBodyThatIsNotJsonTypedIs406() {
        HttpRequest request = http.request("/v2/style-transfer").header("x-api-key", tenant.apiKey())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("a=b")).build();

        HttpResponse<byte[]> r = http.send(request);

        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(text(r)).isEqualTo("{\"error\":\"Content-Type must be application/json or multipart/form-data\"}");
    }

    @Test
    void forbiddenModelIs403() {
        tenant.forbid("material-transfer");

        HttpResponse<byte[]> r = http.post("/v2/material-transfer", tenant.apiKey(), "{}");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(text(r)).isEqualTo("{\"error\":\"Model material-transfer is not allowed for this account\"}");
        assertThat(http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL).statusCode()).isEqualTo(200);
    }

    @Test
    void retiredModelIs410() {
        tenant.retire("style-transfer");

        HttpResponse<byte[]> r = http.post("/v1/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(text(r)).isEqualTo("{\"error\":\"Model style-transfer has been retired\"}");
    }

    @Test
    void invalidParametersAre400NamingEveryParameterFromTheSpec() {
        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), "{\"number_of_images\": 11, \"output_format\": \"gif\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo(
                "style_image is required; number_of_images must be between 1 and 10, got 11; output_format must be one of webp, jpg, png, got \"gif\"");
        tenant.journal().assertPaidSubmits(0);
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), "{not json");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("{\"error\":\"Request body is not valid JSON\"}");
        assertThat(http.post("/v2/style-transfer", tenant.apiKey(), "[1]").statusCode()).isEqualTo(400);
    }

    @Test
    void registeredModelsPassTheirParametersUnchecked() {
        HttpResponse<byte[]> r = http.post("/v2/flux-schnell", tenant.apiKey(), "{\"anything\": [1, 2], \"width\": \"wide\"}");

        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void aClientPreferringHttp2IsAnsweredOverHttp11() throws Exception {
        HttpClient h2 = HttpClient.newHttpClient();
        HttpRequest request = http.request("/v1/get-user-credits").header("x-api-key", tenant.apiKey()).GET().build();

        HttpResponse<String> r = h2.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void manyRequestsShareOneKeptAliveConnection() {
        String id = http.submit(tenant, Http.SMALL);
        for (int i = 0; i < 200; i++) {
            assertThat(http.get("/v2/requests/" + id + "/status", tenant.apiKey()).statusCode()).isEqualTo(200);
        }
        assertThat(tenant.journal().entries(Phase.STATUS)).hasSize(200);
    }
}
