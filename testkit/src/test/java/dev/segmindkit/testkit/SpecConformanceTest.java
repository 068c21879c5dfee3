package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.segmindkit.model.Credits;
import dev.segmindkit.model.ErrorResponse;
import dev.segmindkit.model.RequestStatus;
import dev.segmindkit.model.ResultResponse;
import dev.segmindkit.model.StatusResponse;
import dev.segmindkit.model.SubmitResponse;
import dev.segmindkit.model.UploadResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fake's JSON answers read strictly (no unknown field, no unknown enum value) into the models
 * generated from the spec: the fake and the spec cannot drift apart unnoticed.
 */
class SpecConformanceTest {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();
    private static FakeSegmindServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = FakeSegmindServer.start();
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static <T> T read(HttpResponse<byte[]> r, Class<T> type) throws Exception {
        return STRICT.readValue(r.body(), type);
    }

    @Test
    void everyJsonAnswerReadsStrictlyIntoTheSpecsModels() throws Exception {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        tenant.scriptNext("style-transfer", JobScript.completes());
        tenant.scriptNext("style-transfer", JobScript.fails("boom"));

        HttpResponse<byte[]> submitted = http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);
        SubmitResponse submit = read(submitted, SubmitResponse.class);
        String failing = http.submit(tenant, Http.SMALL);
        String several = http.submit(tenant, "{\"style_image\": \"x\", \"width\": 8, \"height\": 8, \"number_of_images\": 2}");
        StatusResponse queued = read(http.get(submit.getStatusUrl(), tenant.apiKey()), StatusResponse.class);
        clock.advance(Duration.ofSeconds(5));
        StatusResponse processing = read(http.get(submit.getStatusUrl(), tenant.apiKey()), StatusResponse.class);
        clock.advance(Duration.ofMinutes(1));
        StatusResponse done = read(http.get(submit.getStatusUrl(), tenant.apiKey()), StatusResponse.class);
        ResultResponse result = read(http.get(submit.getResponseUrl(), tenant.apiKey()), ResultResponse.class);
        ResultResponse list = read(http.get("/v2/requests/" + several, tenant.apiKey()), ResultResponse.class);
        StatusResponse failedStatus = read(http.get("/v2/requests/" + failing + "/status", tenant.apiKey()), StatusResponse.class);
        ResultResponse failedResult = read(http.get("/v2/requests/" + failing, tenant.apiKey()), ResultResponse.class);
        Credits credits = read(http.get("/v1/get-user-credits", tenant.apiKey()), Credits.class);
        UploadResponse upload = read(http.post("/upload-asset", tenant.apiKey(),
                "{\"data_urls\": [\"" + TestImages.dataUri(TestImages.png(2, 2, java.awt.Color.RED)) + "\"]}"), UploadResponse.class);
        ErrorResponse error = read(http.get("/v2/requests/nope", tenant.apiKey()), ErrorResponse.class);

        assertThat(submit.getStatus()).isEqualTo(RequestStatus.QUEUED);
        assertThat(submit.getPollUrl()).isEqualTo(server.baseUrl() + "/v1/requests/" + submit.getRequestId());
        assertThat(processing.getStatusUrl()).isEqualTo(submit.getStatusUrl());
        assertThat(processing.getResponseUrl()).isEqualTo(submit.getResponseUrl());
        assertThat(done.getStatusUrl()).as("only while queued or processing").isNull();
        assertThat(queued.getStatus()).isEqualTo(RequestStatus.QUEUED);
        assertThat(processing.getStatus()).isEqualTo(RequestStatus.PROCESSING);
        assertThat(processing.getMetrics().getQueueTime()).isEqualTo(2.0);
        assertThat(done.getStatus()).isEqualTo(RequestStatus.COMPLETED);
        assertThat(done.getMetrics().getTotalTime()).isEqualTo(19.0);
        assertThat(result.getOutput()).isInstanceOf(String.class);
        assertThat(list.getOutput()).isInstanceOf(List.class);
        assertThat(failedStatus.getStatus()).isEqualTo(RequestStatus.FAILED);
        assertThat(failedStatus.getError()).isEqualTo("boom");
        assertThat(failedResult.getError()).isEqualTo("boom");
        assertThat(credits.getCredits()).as("two completed style transfers; the FAILED one is free").isEqualTo(99.9486);
        assertThat(credits.getFreeCredits()).isEqualTo(0.0);
        assertThat(upload.getFileUrls()).hasSize(1);
        assertThat(error.getError()).isEqualTo("Request nope not found");
        assertThat(json(submitted).size()).as("no field beyond the spec's").isEqualTo(5);
    }
}
