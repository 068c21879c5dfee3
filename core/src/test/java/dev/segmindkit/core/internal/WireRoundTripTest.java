package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobMetrics;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.model.Credits;
import dev.segmindkit.model.ErrorResponse;
import dev.segmindkit.model.MaterialStrength;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.Metrics;
import dev.segmindkit.model.OutputFormat;
import dev.segmindkit.model.RequestStatus;
import dev.segmindkit.model.ResultResponse;
import dev.segmindkit.model.StatusResponse;
import dev.segmindkit.model.StyleTransferModel;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.model.SubmitResponse;
import dev.segmindkit.model.UploadRequest;
import dev.segmindkit.model.UploadResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sample bodies of every schema, read with the generated models and the hand-written decoders. */
class WireRoundTripTest {
    private static final String ID = "5d2c4a5e-2f1b-4c9a-9a77-0c1f0b3f6e21";
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private static byte[] json(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T read(String body, Class<T> type) throws Exception {
        return Json.MAPPER.readValue(json(body), type);
    }

    @Test
    void submitAnswerRoundTripsAndYieldsTheRequestId() throws Exception {
        String body = "{'request_id':'" + ID + "','status':'QUEUED','poll_url':'https://api.segmind.com/v2/requests/" + ID
                + "/status','status_url':'https://api.segmind.com/v2/requests/" + ID + "/status','response_url':'https://api.segmind.com/v2/requests/" + ID + "'}";
        SubmitResponse submit = read(body, SubmitResponse.class);
        assertThat(submit.getRequestId()).isEqualTo(ID);
        assertThat(submit.getStatus()).isEqualTo(RequestStatus.QUEUED);
        assertThat(submit.getResponseUrl()).endsWith("/v2/requests/" + ID);
        assertThat(Json.MAPPER.readTree(Json.write(submit))).isEqualTo(Json.MAPPER.readTree(json(body)));
        assertThat(Wire.submittedRequestId(json(body))).isEqualTo(ID);
    }

    @Test
    void queuedStatusWithEmptyMetricsHasNoFigures() throws Exception {
        String body = "{'request_id':'" + ID + "','status':'QUEUED','metrics':{}}";
        StatusResponse status = read(body, StatusResponse.class);
        assertThat(status.getStatus()).isEqualTo(RequestStatus.QUEUED);
        assertThat(status.getMetrics()).isEqualTo(new Metrics());

        StatusUpdate update = Wire.status(json(body), ID, NOW);
        assertThat(update.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(update.status().isTerminal()).isFalse();
        assertThat(update.metrics()).isEqualTo(JobMetrics.empty());
        assertThat(update.observedAt()).isEqualTo(NOW);
    }

    @Test
    void completedResultWithOneUrlBecomesAListOfOne() throws Exception {
        String body = "{'request_id':'" + ID + "','status':'COMPLETED','output':'https://cdn.example/a.webp',"
                + "'metrics':{'inference_time':15.2,'queue_time':1.4,'total_time':16.6,'cost':0.02,'remaining_credits':41.5,'retry_count':0}}";
        ResultResponse result = read(body, ResultResponse.class);
        assertThat(result.getOutput()).isEqualTo("https://cdn.example/a.webp");
        assertThat(result.getMetrics().getInferenceTime()).isEqualTo(15.2);

        InferenceResult decoded = Wire.result(json(body), ID);
        assertThat(decoded.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(decoded.outputs()).containsExactly("https://cdn.example/a.webp");
        assertThat(decoded.firstOutput()).contains("https://cdn.example/a.webp");
        assertThat(decoded.metrics().inferenceTime()).contains(Duration.ofMillis(15200));
        assertThat(decoded.metrics().queueTime()).contains(Duration.ofMillis(1400));
        assertThat(decoded.metrics().totalTime()).contains(Duration.ofMillis(16600));
        assertThat(decoded.metrics().cost()).hasValue(0.02);
        assertThat(decoded.metrics().remainingCredits()).hasValue(41.5);
        assertThat(decoded.metrics().retryCount()).hasValue(0);
        assertThat(decoded.rawJson()).isEqualTo(new String(json(body), StandardCharsets.UTF_8));
    }

    @Test
    void completedResultWithSeveralUrlsKeepsTheirOrder() throws Exception {
        String body = "{'status':'COMPLETED','output':['https://cdn.example/1.png','https://cdn.example/2.png']}";
        assertThat(read(body, ResultResponse.class).getOutput()).isEqualTo(List.of("https://cdn.example/1.png", "https://cdn.example/2.png"));
        assertThat(Wire.result(json(body), ID).outputs()).containsExactly("https://cdn.example/1.png", "https://cdn.example/2.png");
    }

    @Test
    void failedBodyRoundTripsWithItsError() throws Exception {
        String body = "{'request_id':'" + ID + "','status':'FAILED','error':'Input image could not be decoded','metrics':{'total_time':2.1}}";
        ResultResponse result = read(body, ResultResponse.class);
        assertThat(result.getStatus()).isEqualTo(RequestStatus.FAILED);
        assertThat(result.getError()).isEqualTo("Input image could not be decoded");
        assertThat(read(body, StatusResponse.class).getError()).isEqualTo("Input image could not be decoded");
        assertThat(Wire.result(json(body), ID).outputs()).isEmpty();
    }

    @Test
    void unknownFieldsAndUnknownStatusValuesAreTolerated() throws Exception {
        String body = "{'request_id':'" + ID + "','status':'CANCELLED','queue_position':3,'metrics':{'gpu':'a100','total_time':1},"
                + "'extra':{'nested':[1,2]}}";
        StatusResponse status = read(body, StatusResponse.class);
        assertThat(status.getStatus()).isEqualTo(RequestStatus.UNKNOWN_DEFAULT_OPEN_API);

        StatusUpdate update = Wire.status(json(body), ID, NOW);
        assertThat(update.status().value()).isEqualTo("CANCELLED");
        assertThat(update.status().isKnown()).isFalse();
        assertThat(update.status().isTerminal()).isFalse();
        assertThat(update.metrics().totalTime()).contains(Duration.ofSeconds(1));
    }

    @Test
    void unknownRequestEnumValueReadsAsTheUnknownCase() throws Exception {
        StyleTransferRequest request = read("{'style_image':'x','model':'turbo','output_format':'avif'}", StyleTransferRequest.class);
        assertThat(request.getModel()).isEqualTo(StyleTransferModel.UNKNOWN_DEFAULT_OPEN_API);
        assertThat(request.getOutputFormat()).isEqualTo(OutputFormat.UNKNOWN_DEFAULT_OPEN_API);
    }

    @Test
    void errorBodyRoundTrips() throws Exception {
        ErrorResponse error = read("{'error':'Request abc not found','hint':'x'}", ErrorResponse.class);
        assertThat(error.getError()).isEqualTo("Request abc not found");
    }

    @Test
    void creditsUseTheHyphenatedWireName() throws Exception {
        String body = "{'credits':41.25,'free-credits':2}";
        Credits credits = read(body, Credits.class);
        assertThat(credits.getCredits()).isEqualTo(41.25);
        assertThat(credits.getFreeCredits()).isEqualTo(2.0);
        assertThat(Wire.credits(json(body)).credits()).isEqualTo(41.25);
        assertThat(Wire.credits(json(body)).freeCredits()).isEqualTo(2.0);
    }

    @Test
    void uploadUrlsAreReadUnderEitherName() throws Exception {
        UploadRequest request = new UploadRequest().dataUrls(List.of("data:image/png;base64,AAAA"));
        assertThat(new String(Json.write(request), StandardCharsets.UTF_8)).isEqualTo("{\"data_urls\":[\"data:image/png;base64,AAAA\"]}");
        assertThat(read("{'urls':['https://a/1']}", UploadResponse.class).getUrls()).containsExactly("https://a/1");
        assertThat(Wire.uploadedUrls(json("{'urls':['https://a/1']}"))).containsExactly("https://a/1");
        assertThat(Wire.uploadedUrls(json("{'file_urls':['https://a/2']}"))).containsExactly("https://a/2");
        assertThatThrownBy(() -> Wire.uploadedUrls(json("{'ok':true}"))).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("neither urls nor file_urls");
    }

    @Test
    void styleTransferRequestSerialisesWithWireNamesAndSpecDefaults() throws Exception {
        StyleTransferRequest request = new StyleTransferRequest().styleImage("https://img/style.png").prompt("a cat")
                .model(StyleTransferModel.HIGH_QUALITY).seed(42L);
        JsonNode tree = Json.tree(request);
        assertThat(tree.get("style_image").asText()).isEqualTo("https://img/style.png");
        assertThat(tree.get("model").asText()).isEqualTo("high-quality");
        assertThat(tree.get("number_of_images").asInt()).isEqualTo(1);
        assertThat(tree.get("output_format").asText()).isEqualTo("webp");
        assertThat(tree.get("output_quality").asInt()).isEqualTo(80);
        assertThat(tree.get("structure_denoising_strength").asDouble()).isEqualTo(0.65);
        assertThat(tree.get("seed").asLong()).isEqualTo(42L);
        assertThat(tree.has("structure_image")).isFalse();
        assertThat(Json.MAPPER.readValue(Json.write(request), StyleTransferRequest.class)).isEqualTo(request);
    }

    @Test
    void materialTransferRequestSerialisesWithWireNamesAndSpecDefaults() throws Exception {
        MaterialTransferRequest request = new MaterialTransferRequest().materialImage("m").subjectImage("s")
                .materialStrength(MaterialStrength.STRONG);
        JsonNode tree = Json.tree(request);
        assertThat(tree.get("prompt").asText()).isEqualTo("marble sculpture");
        assertThat(tree.get("guidance_scale").asDouble()).isEqualTo(2.0);
        assertThat(tree.get("material_strength").asText()).isEqualTo("strong");
        assertThat(tree.get("max_width").asInt()).isEqualTo(1920);
        assertThat(tree.get("steps").asInt()).isEqualTo(6);
        assertThat(tree.get("return_intermediate_images").asBoolean()).isFalse();
        assertThat(Json.MAPPER.readValue(Json.write(request), MaterialTransferRequest.class)).isEqualTo(request);
    }

    @Test
    void malformedOrTruncatedBodiesAreTypedFailures() {
        assertThatThrownBy(() -> Wire.status(json("{'status':'QUE"), ID, NOW)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Wire.status(json("[1,2]"), ID, NOW)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> Wire.status(new byte[0], ID, NOW)).isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(() -> Wire.result(json("{'output':'x'}"), ID)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("no status");
        assertThatThrownBy(() -> Wire.submittedRequestId(json("{'status':'QUEUED'}"))).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("no request_id");
    }

    @Test
    void anUnreadableStatusOrResultNamesItsJob() {
        // Found by the fault soak: a result whose every attempt was malformed ended the job with an
        // error that carried no request id, so the caller could not tell which paid job it was.
        assertThatThrownBy(() -> Wire.status(json("{'status':'QUE"), ID, NOW)).isInstanceOf(MalformedResponseException.class)
                .satisfies(e -> assertThat(((MalformedResponseException) e).requestId()).contains(ID));
        assertThatThrownBy(() -> Wire.result(json("<html>upstream hiccup</html>"), ID)).isInstanceOf(MalformedResponseException.class)
                .satisfies(e -> assertThat(((MalformedResponseException) e).requestId()).contains(ID))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void syncResponseHeadersAreParsedAndBadOnesIgnored() {
        SyncResponse info = Wire.syncResponse(Map.of("Content-Type", List.of("image/jpeg"), "X-Cost", List.of("0.012"),
                "x-remaining-credits", List.of("9.5"), "x-request-id", List.of(ID), "x-generation-time", List.of("3.25"),
                "x-seed-value", List.of("123456789012")), 2048);
        assertThat(info.contentType()).isEqualTo("image/jpeg");
        assertThat(info.size()).isEqualTo(2048);
        assertThat(info.cost()).hasValue(0.012);
        assertThat(info.remainingCredits()).hasValue(9.5);
        assertThat(info.requestId()).contains(ID);
        assertThat(info.generationTime()).contains(Duration.ofMillis(3250));
        assertThat(info.seed()).hasValue(123456789012L);

        SyncResponse bad = Wire.syncResponse(Map.of("x-cost", List.of("free"), "x-seed-value", List.of("")), 0);
        assertThat(bad.cost()).isEmpty();
        assertThat(bad.seed()).isEmpty();
        assertThat(bad.contentType()).isEqualTo("application/octet-stream");
    }
}
