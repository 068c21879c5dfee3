package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.json;
import static dev.segmindkit.testkit.Http.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JSON control API that non-JVM clients use to drive the standalone server. */
class ControlApiTest {
    private FakeSegmindServer server;
    private Http http;
    private ManualClock clock;

    @BeforeEach
    void start() {
        clock = new ManualClock();
        server = FakeSegmindServer.builder().clock(clock).controlApi(true).start();
        http = new Http(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode control(String path, String json) {
        HttpResponse<byte[]> r = http.post("/__fake" + path, null, json);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        return json(r);
    }

    private String newTenant(String settings) {
        return control("/tenants", settings).get("api_key").asText();
    }

    @Test
    void theControlRootAnswersAnIndexOfEndpointsAndSettings() {
        HttpResponse<byte[]> r = http.get("/__fake/", null);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode index = json(r);
        assertThat(index.get("endpoints").findValuesAsText("path")).contains("/__fake/health", "/__fake/tenants/{key}/settings");
        assertThat(index.get("settings").fieldNames()).toIterable().contains("credits", "prices", "retire", "timelines", "rate_limit");
        assertThat(http.get("/__fake", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everySettingCanBeSetAndTakenBack() {
        String key = newTenant("{\"credits\": 5, \"free_credits\": 1, \"job_cost\": 0.5, \"prices\": {\"material-transfer\": 3},"
                + " \"forbid\": [\"style-transfer\"], \"retire\": [\"material-transfer\"], \"validation_quirk\": true,"
                + " \"upload_field\": \"urls\", \"auto_advance\": \"3s\", \"timeline\": {\"queued\": \"1s\", \"processing\": \"1s\"},"
                + " \"timelines\": {\"style-transfer\": {\"queued\": \"0s\", \"processing\": \"4s\"}}, \"rate_limit\": {\"requests\": 1, \"per\": \"1m\"}}");
        JsonNode set = json(http.get("/__fake/tenants/" + key, null));
        assertThat(set.get("prices").get("style-transfer").asDouble()).isEqualTo(0.5);
        assertThat(set.get("prices").get("material-transfer").asDouble()).isEqualTo(3.0);
        assertThat(set.get("retire").toString()).isEqualTo("[\"material-transfer\"]");
        assertThat(set.get("timelines").get("material-transfer").get("processing").asText()).isEqualTo("PT1S");
        assertThat(http.post("/v2/style-transfer", key, Http.SMALL).statusCode()).isEqualTo(403);

        JsonNode unset = control("/tenants/" + key + "/settings", "{\"credits\": null, \"free_credits\": null, \"job_cost\": null,"
                + " \"prices\": null, \"forbid\": [], \"retire\": [], \"validation_quirk\": null, \"upload_field\": null,"
                + " \"auto_advance\": null, \"timeline\": null, \"timelines\": null, \"rate_limit\": null}");

        assertThat(unset.get("credits").asDouble()).isEqualTo(100.0);
        assertThat(unset.get("free_credits").asDouble()).isEqualTo(0.0);
        assertThat(unset.get("prices").get("style-transfer").asDouble()).isEqualTo(0.0257);
        assertThat(unset.get("prices").get("material-transfer").asDouble()).isEqualTo(0.25);
        assertThat(unset.get("forbid").size() + unset.get("retire").size()).isZero();
        assertThat(unset.get("validation_quirk").asBoolean()).isFalse();
        assertThat(unset.get("upload_field").asText()).isEqualTo("file_urls");
        assertThat(unset.get("auto_advance").asText()).isEqualTo("PT0S");
        assertThat(unset.get("timelines").get("style-transfer").get("processing").asText()).isEqualTo("PT17S");
        assertThat(unset.get("rate_limited").asBoolean()).isFalse();
        assertThat(http.post("/v2/material-transfer", key, "{\"material_image\": \"x\", \"subject_image\": \"y\"}").statusCode()).isEqualTo(200);
        assertThat(http.post("/v2/style-transfer", key, Http.SMALL).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownSettingIsRefusedWithTheIndexToLookAt() {
        String key = newTenant("{}");

        HttpResponse<byte[]> r = http.post("/__fake/tenants/" + key + "/settings", null, "{\"credit\": 5}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("unknown setting \"credit\"; GET /__fake/ lists them");
    }

    @Test
    void healthAndClockAreReadable() {
        assertThat(text(http.get("/__fake/health", null))).isEqualTo("{\"status\":\"ok\",\"now\":\"2026-01-01T00:00:00Z\"}");
        assertThat(json(http.get("/__fake/clock", null)).get("manual").asBoolean()).isTrue();
    }

    @Test
    void aTenantMadeOverHttpRunsAJobThroughTheClockItAdvances() {
        String key = newTenant("{\"api_key\": \"SG_aaaabbbbccccdddd\", \"credits\": 3}");
        String id = json(http.post("/v2/style-transfer", key, Http.SMALL)).get("request_id").asText();

        assertThat(control("/clock/advance", "{\"by\": \"5s\"}").get("now").asText()).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(json(http.get("/v2/requests/" + id + "/status", key)).get("status").asText()).isEqualTo("PROCESSING");
        control("/clock/set", "{\"to\": \"2026-01-01T00:01:00Z\"}");
        assertThat(json(http.get("/v2/requests/" + id + "/status", key)).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(json(http.get("/v1/get-user-credits", key)).get("credits").asDouble()).isEqualTo(3 - 0.0257);
    }

    @Test
    void scriptsFaultsAndTheJournalAreDrivenOverHttp() {
        String key = newTenant("{}");
        control("/tenants/" + key + "/scripts", "{\"model\": \"style-transfer\", \"count\": 1, \"outcome\": \"failed\", \"error\": \"boom\", "
                + "\"queued\": \"1s\", \"processing\": \"PT2S\"}");
        control("/tenants/" + key + "/faults", "{\"phase\": \"STATUS\", \"status\": 503, \"times\": 2}");
        String id = json(http.post("/v2/style-transfer", key, Http.SMALL)).get("request_id").asText();
        clock.advance(java.time.Duration.ofSeconds(3));

        assertThat(http.get("/v2/requests/" + id + "/status", key).statusCode()).isEqualTo(503);
        assertThat(http.get("/v2/requests/" + id + "/status", key).statusCode()).isEqualTo(503);
        HttpResponse<byte[]> failed = http.get("/v2/requests/" + id + "/status", key);
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(json(failed).get("error").asText()).isEqualTo("boom");

        JsonNode entries = json(http.get("/__fake/tenants/" + key + "/journal", null)).get("entries");
        assertThat(entries).hasSize(4);
        assertThat(entries.get(0).get("paid").asBoolean()).isTrue();
        assertThat(entries.get(1).get("fault").asText()).isEqualTo("503 x2");
        assertThat(entries.get(3).get("job_status").asText()).isEqualTo("FAILED");
    }

    @Test
    void theJournalIsCountedByPhaseAndHttpStatus() {
        String key = newTenant("{}");
        control("/tenants/" + key + "/faults", "{\"phase\": \"STATUS\", \"status\": 503, \"times\": 1}");
        String id = json(http.post("/v2/style-transfer", key, Http.SMALL)).get("request_id").asText();
        http.get("/v2/requests/" + id + "/status", key);
        http.get("/v2/requests/" + id + "/status", key);
        http.get("/v2/requests/" + id, key);

        JsonNode counts = json(http.get("/__fake/tenants/" + key + "/journal/counts", null));

        assertThat(counts.get("requests").asInt()).isEqualTo(4);
        assertThat(text(http.get("/__fake/tenants/" + key + "/journal/counts", null))).isEqualTo(
                "{\"requests\":4,\"phases\":{\"RESULT\":1,\"STATUS\":2,\"SUBMIT\":1},\"http_statuses\":{\"200\":3,\"503\":1}}");
    }

    @Test
    void everyFaultKindCanBeInjectedOverHttp() {
        String key = newTenant("{}");
        for (String kind : new String[] {"rate_limited", "delay", "real_delay", "disconnect", "disconnect_after_handling",
                "truncated_body", "malformed_json", "truncated_json"}) {
            control("/tenants/" + key + "/faults", "{\"phase\": \"media\", \"kind\": \"" + kind + "\", \"delay\": \"1ms\", \"reset_in\": \"2s\"}");
        }
        HttpResponse<byte[]> r = http.post("/__fake/tenants/" + key + "/faults", null, "{\"phase\": \"STATUS\", \"kind\": \"explode\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).isEqualTo("{\"error\":\"unknown fault kind \\\"explode\\\"\"}");
        assertThat(http.send(http.request("/__fake/tenants/" + key + "/faults").DELETE().build()).statusCode()).isEqualTo(200);
    }

    @Test
    void settingsCoverCreditsModelsQuirksUploadsTimeAndRateLimits() {
        String key = newTenant("{\"own_clock\": true}");
        control("/tenants/" + key + "/settings", "{\"credits\": 1, \"free_credits\": 0.5, \"job_cost\": 0.25, \"forbid\": [\"material-transfer\"], "
                + "\"validation_quirk\": true, \"upload_field\": \"urls\", \"auto_advance\": \"10s\", "
                + "\"timeline\": {\"queued\": \"0s\", \"processing\": \"5s\"}, \"rate_limit\": {\"requests\": 100, \"per\": \"1s\"}}");

        assertThat(http.post("/v2/material-transfer", key, "{}").statusCode()).isEqualTo(403);
        String id = json(http.post("/v2/style-transfer", key, "{\"style_image\": \"x\", \"width\": \"wide\"}")).get("request_id").asText();
        HttpResponse<byte[]> poll = http.get("/v2/requests/" + id + "/status", key);
        assertThat(poll.statusCode()).as("auto-advanced past the 5 s job, failed by the quirk").isEqualTo(422);
        assertThat(json(poll).get("error").asText()).isEqualTo("width must be an integer, got \"wide\"");
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(TestImages.png(2, 2, java.awt.Color.RED));
        assertThat(json(http.post("/upload-asset", key, "{\"data_urls\": [\"" + png + "\"]}")).has("urls")).isTrue();
        assertThat(json(http.get("/v1/get-user-credits", key)).toString()).as("the FAILED job was not charged")
                .isEqualTo("{\"credits\":1,\"free-credits\":0.5}");
        assertThat(clock.now()).as("the tenant's own clock moved, not the server's").isEqualTo(ManualClock.DEFAULT_START);
        assertThat(json(http.get("/__fake/tenants/" + key + "/clock", null)).get("now").asText()).isEqualTo("2026-01-01T00:00:10Z");
    }

    @Test
    void aScriptCanTargetASubmittedRequest() {
        String key = newTenant("{}");
        String id = json(http.post("/v2/style-transfer", key, Http.SMALL)).get("request_id").asText();
        String image = Base64.getEncoder().encodeToString(TestImages.png(3, 3, java.awt.Color.RED));
        control("/tenants/" + key + "/scripts", "{\"request_id\": \"" + id + "\", \"images\": [\"" + image + "\"], \"processing\": \"0s\", \"queued\": \"0s\"}");

        String output = json(http.get("/v2/requests/" + id, key)).get("output").asText();

        assertThat(output).endsWith("/0.png");
        assertThat(http.get(output, null).body()).isEqualTo(Base64.getDecoder().decode(image));
    }

    @Test
    void mistakesAnswer400WithTheSameMessagesAsTheJavaApi() {
        String key = newTenant("{}");

        HttpResponse<byte[]> unknownModel = http.post("/__fake/tenants/" + key + "/scripts", null, "{\"model\": \"nope\"}");
        HttpResponse<byte[]> negative = http.post("/__fake/tenants/" + key + "/scripts", null, "{\"model\": \"style-transfer\", \"queued\": \"-1s\"}");
        HttpResponse<byte[]> unknownId = http.post("/__fake/tenants/" + key + "/scripts", null, "{\"request_id\": \"r1\"}");

        assertThat(unknownModel.statusCode()).isEqualTo(400);
        assertThat(json(unknownModel).get("error").asText()).startsWith("unknown model 'nope'");
        assertThat(json(negative).get("error").asText()).isEqualTo("queued: '-1s' is not a duration such as 2s, 500ms or PT2S");
        assertThat(json(unknownId).get("error").asText()).startsWith("this tenant has no job with request id r1");
        assertThat(http.post("/__fake/clock/advance", null, "{\"by\": \"soon\"}").statusCode()).isEqualTo(400);
        assertThat(http.get("/__fake/tenants/SG_nobody", null).statusCode()).isEqualTo(404);
        assertThat(http.get("/__fake/nothing", null).statusCode()).isEqualTo(404);
    }

    @Test
    void resetPutsEveryTenantBackToItsFirstStateButKeepsItsKey() {
        String key = newTenant("{\"credits\": 1}");
        String id = json(http.post("/v2/style-transfer", key, Http.SMALL)).get("request_id").asText();
        control("/tenants/" + key + "/faults", "{\"phase\": \"CREDITS\", \"status\": 503, \"times\": \"always\"}");

        control("/reset", "{}");

        assertThat(text(http.get("/v1/get-user-credits", key))).isEqualTo("{\"credits\":100,\"free-credits\":0}");
        assertThat(http.get("/v2/requests/" + id, key).statusCode()).isEqualTo(404);
        assertThat(json(http.get("/__fake/tenants/" + key + "/journal", null)).get("entries")).as("only what came after the reset").hasSize(2);
    }

    @Test
    void deletingATenantRevokesItsKey() {
        String key = newTenant("{}");

        HttpResponse<byte[]> r = http.send(http.request("/__fake/tenants/" + key).method("DELETE", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(http.get("/v1/get-user-credits", key).statusCode()).isEqualTo(401);
    }
}
