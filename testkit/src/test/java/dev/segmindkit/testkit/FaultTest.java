package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.segmindkit.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each fault kind, in the phases where clients meet it. */
class FaultTest extends OnManualClockTest {
    private HttpResponse<byte[]> poll(String id) {
        return http.get("/v2/requests/" + id + "/status", tenant.apiKey());
    }

    @Test
    void theNextTwoStatusPollsGet503ThenTheRealAnswer() {
        String id = http.submit(tenant, Http.SMALL);
        tenant.inject(Phase.STATUS, Fault.status(503).times(2));

        List<Integer> codes = List.of(poll(id), poll(id), poll(id)).stream().map(HttpResponse::statusCode).collect(Collectors.toList());

        assertThat(codes).containsExactly(503, 503, 200);
        assertThat(tenant.journal().polls(id)).extracting(Journal.Entry::fault)
                .containsExactly(java.util.Optional.of("503 x2"), java.util.Optional.of("503 x2"), java.util.Optional.empty());
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "400|SUBMIT|{\"error\":\"Bad request\"}",
        "401|STATUS|{\"error\":\"Unauthorized. API key is invalid or may have expired\"}",
        "403|SUBMIT|{\"error\":\"Model style-transfer is not allowed for this account\"}",
        "404|SUBMIT|{\"error\":\"Model style-transfer not found\"}",
        "406|SUBMIT|{\"error\":\"Insufficient credits. Please add credits to your account\"}",
        "410|SUBMIT|{\"error\":\"Model style-transfer has been retired\"}",
        "422|RESULT|{\"error\":\"Unprocessable entity\"}",
        "429|STATUS|{\"error\":\"Too many requests\"}",
        "500|SUBMIT|{\"error\":\"Internal server error\"}",
        "502|RESULT|{\"error\":\"Bad gateway\"}",
        "503|STATUS|{\"error\":\"Service temporarily unavailable\"}",
        "504|V1|{\"error\":\"Gateway timeout\"}",
        "500|CREDITS|{\"error\":\"Internal server error\"}",
        "503|UPLOAD|{\"error\":\"Service temporarily unavailable\"}",
    })
    void aStatusFaultAnswersTheRealBodyForThatStatus(int status, Phase phase, String body) {
        String id = http.submit(tenant, Http.SMALL);
        tenant.inject(phase, Fault.status(status));

        HttpResponse<byte[]> r = request(phase, id);

        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(text(r)).isEqualTo(body);
    }

    @Test
    void a404FaultOnAPollSaysTheRequestIsNotFound() {
        String id = http.submit(tenant, Http.SMALL);
        tenant.inject(Phase.STATUS, Fault.status(404));

        assertThat(text(poll(id))).isEqualTo("{\"error\":\"Request " + id + " not found\"}");
    }

    @Test
    void a405FaultAnswersTheHtmlPage() {
        tenant.inject(Phase.SUBMIT, Fault.status(405));

        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(text(r)).contains("<title>405 Not Allowed</title>");
    }

    @Test
    void aStatusFaultWithAMessageAnswersIt() {
        tenant.inject(Phase.SUBMIT, Fault.status(500, "Internal error: bad width"));

        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(text(r)).isEqualTo("{\"error\":\"Internal error: bad width\"}");
    }

    @Test
    void aSubmitStruckByAStatusFaultCreatesNoJobAndBillsNothing() {
        tenant.inject(Phase.SUBMIT, Fault.status(503));

        http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);

        tenant.journal().assertPaidSubmits(0);
        assertThat(tenant.credits()).isEqualTo(100.0);
    }

    @Test
    void rateLimitedAnswers429WithTheResetInstantOnTheFakesClock() {
        tenant.inject(Phase.STATUS, Fault.rateLimited(Duration.ofSeconds(4)));
        String id = http.submit(tenant, Http.SMALL);

        HttpResponse<byte[]> r = poll(id);

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("x-rate-limit-reset-at-utc")).hasValue("2026-01-01T00:00:04Z");
        assertThat(r.headers().firstValue("retry-after")).isEmpty();
        assertThat(tenant.journal().polls(id).get(0).rateLimitResetAt()).hasValue(Instant.parse("2026-01-01T00:00:04Z"));
    }

    @Test
    void rateLimitedCanAddRetryAfterInWholeSeconds() {
        tenant.inject(Phase.SUBMIT, Fault.rateLimited(Duration.ofSeconds(2)).withRetryAfter(Duration.ofMillis(2500)));

        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("3");
        assertThat(r.headers().firstValue("x-rate-limit-reset-at-utc")).hasValue("2026-01-01T00:00:02Z");
        assertThat(tenant.journal().entries().get(0).rateLimitResetAt()).hasValue(Instant.parse("2026-01-01T00:00:03Z"));
    }

    @Test
    void aTokenBucketLimitsTheKeyAndRefillsOnItsClock() {
        tenant.rateLimit(2, Duration.ofSeconds(10));

        assertThat(http.get("/v1/get-user-credits", tenant.apiKey()).statusCode()).isEqualTo(200);
        assertThat(http.get("/v1/get-user-credits", tenant.apiKey()).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> limited = http.get("/v1/get-user-credits", tenant.apiKey());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("x-rate-limit-reset-at-utc")).hasValue("2026-01-01T00:00:05Z");
        clock.advance(Duration.ofSeconds(5));
        assertThat(http.get("/v1/get-user-credits", tenant.apiKey()).statusCode()).isEqualTo(200);
        assertThat(http.get("/v1/get-user-credits", tenant.apiKey()).statusCode()).isEqualTo(429);
        tenant.journal().assertRateLimitResetHonoured();
        tenant.noRateLimit();
        assertThat(http.get("/v1/get-user-credits", tenant.apiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRateLimitIsPerKey() {
        tenant.rateLimit(1, Duration.ofMinutes(1));
        Tenant other = server.newTenant(clock);

        http.get("/v1/get-user-credits", tenant.apiKey());

        assertThat(http.get("/v1/get-user-credits", tenant.apiKey()).statusCode()).isEqualTo(429);
        assertThat(http.get("/v1/get-user-credits", other.apiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void aDelayUnderAManualClockMovesTheClockAndAnswersAtOnce() {
        String id = http.submit(tenant, Http.SMALL);
        tenant.inject(Phase.STATUS, Fault.delay(Duration.ofMinutes(5)));

        HttpResponse<byte[]> r = poll(id);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aDelayOnRealTimeHoldsTheAnswerBack() {
        Tenant real = server.newTenant();
        real.inject(Phase.CREDITS, Fault.delay(Duration.ofMillis(150)));
        long started = System.nanoTime();

        HttpResponse<byte[]> r = http.get("/v1/get-user-credits", real.apiKey());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void aRealDelayTripsAClientReadTimeoutEvenUnderAManualClock() {
        tenant.inject(Phase.CREDITS, Fault.realDelay(Duration.ofMillis(400)));
        HttpRequest request = http.request("/v1/get-user-credits").timeout(Duration.ofMillis(100)).header("x-api-key", tenant.apiKey()).GET().build();

        IOException failure = Http.fresh(server).failing(request);

        assertThat(failure).isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START);
    }

    @Test
    void disconnectResetsTheConnectionAndCreatesNoJob() {
        tenant.inject(Phase.SUBMIT, Fault.disconnect());
        HttpRequest request = submitRequest();

        Http.fresh(server).failing(request);

        tenant.journal().assertPaidSubmits(0);
        assertThat(tenant.journal().entries(Phase.SUBMIT)).singleElement().satisfies(e -> {
            assertThat(e.httpStatus()).isZero();
            assertThat(e.fault()).hasValue("disconnect");
        });
        assertThat(http.submit(tenant, Http.SMALL)).isNotBlank();
    }

    @Test
    void disconnectAfterHandlingLosesTheAnswerButTheJobWasCreatedAndBilled() {
        tenant.inject(Phase.SUBMIT, Fault.disconnectAfterHandling());

        Http.fresh(server).failing(submitRequest());

        tenant.journal().assertPaidSubmits(1);
        String id = tenant.journal().submittedRequestIds().get(0);
        assertThat(poll(id).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertThat(tenant.credits()).as("charged once it completed").isEqualTo(100 - 0.0257);
    }

    @Test
    void aTruncatedBodyBreaksTheConnectionHalfwayThroughTheAnswer() throws IOException {
        String id = http.submit(tenant, Http.SMALL);
        tenant.inject(Phase.STATUS, Fault.truncatedBody());

        try (Socket socket = new Socket(server.baseUrl().getHost(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v2/requests/" + id + "/status HTTP/1.1\r\nHost: x\r\nx-api-key: " + tenant.apiKey() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String raw = new String(readAll(socket.getInputStream()), StandardCharsets.US_ASCII);
            String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            int declared = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(body.length()).isEqualTo(declared / 2);
        }
        tenant.inject(Phase.STATUS, Fault.truncatedBody());
        assertThat(Http.fresh(server).failing(http.request("/v2/requests/" + id + "/status").header("x-api-key", tenant.apiKey()).GET().build()))
                .isNotNull();
    }

    @Test
    void malformedJsonAnswers200WithABodyThatDoesNotParse() {
        String id = http.submit(tenant, Http.SMALL);
        tenant.inject(Phase.STATUS, Fault.malformedJson());

        HttpResponse<byte[]> r = poll(id);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThatThrownBy(() -> Json.MAPPER.readTree(r.body())).isInstanceOf(JsonProcessingException.class);
        assertThat(tenant.journal().polls(id).get(0).jobStatus()).as("the client never learnt the state").isEmpty();
    }

    @Test
    void truncatedJsonAnswersACompleteMessageWithHalfTheJson() {
        tenant.inject(Phase.SUBMIT, Fault.truncatedJson());

        HttpResponse<byte[]> r = http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).startsWith("{\"request_id\":\"");
        assertThatThrownBy(() -> Json.MAPPER.readTree(r.body())).isInstanceOf(JsonProcessingException.class);
        tenant.journal().assertPaidSubmits(1);
    }

    @Test
    void mediaFaultsStrikeTheOwnersOutputDownloads() {
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofMinutes(1));
        tenant.inject(Phase.MEDIA, Fault.status(403, "Access Denied"));

        HttpResponse<byte[]> r = http.get("/media/" + id + "/0.webp", null);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(http.get("/media/" + id + "/0.webp", null).statusCode()).isEqualTo(200);
        assertThat(tenant.journal().entries(Phase.MEDIA)).extracting(Journal.Entry::httpStatus).containsExactly(403, 200);
    }

    @Test
    void anAlwaysFaultStrikesUntilCleared() {
        tenant.inject(Phase.CREDITS, Fault.status(502).always());

        for (int i = 0; i < 5; i++) {
            assertThat(http.get("/v1/get-user-credits", tenant.apiKey()).statusCode()).isEqualTo(502);
        }
        tenant.clearFaults();
        assertThat(http.get("/v1/get-user-credits", tenant.apiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void faultsInOnePhaseQueueInOrder() {
        String id = http.submit(tenant, Http.SMALL);
        tenant.inject(Phase.STATUS, Fault.status(503)).inject(Phase.STATUS, Fault.status(502).times(2));

        List<Integer> codes = List.of(poll(id), poll(id), poll(id), poll(id)).stream().map(HttpResponse::statusCode).collect(Collectors.toList());

        assertThat(codes).containsExactly(503, 502, 502, 200);
    }

    @Test
    void faultsAreImmutableValuesAndNonsenseFailsAtTheCall() {
        Fault once = Fault.status(503);
        Fault twice = once.times(2);

        assertThat(once).isNotEqualTo(twice).isEqualTo(Fault.status(503));
        assertThat(twice.toString()).isEqualTo("503 x2");
        assertThatThrownBy(() -> Fault.status(99)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 100 and 599");
        assertThatThrownBy(() -> Fault.delay(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> once.times(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least once");
        assertThatThrownBy(() -> Fault.disconnect().withRetryAfter(Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private HttpResponse<byte[]> request(Phase phase, String id) {
        switch (phase) {
            case SUBMIT: return http.post("/v2/style-transfer", tenant.apiKey(), Http.SMALL);
            case STATUS: return poll(id);
            case RESULT: return http.get("/v2/requests/" + id, tenant.apiKey());
            case V1: return http.post("/v1/style-transfer", tenant.apiKey(), Http.SMALL);
            case CREDITS: return http.get("/v1/get-user-credits", tenant.apiKey());
            case UPLOAD: return http.post("/upload-asset", tenant.apiKey(), "{\"data_urls\": [\"data:image/png;base64,AAAA\"]}");
            default: throw new IllegalArgumentException(phase.name());
        }
    }

    private HttpRequest submitRequest() {
        return http.request("/v2/style-transfer").header("x-api-key", tenant.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.SMALL)).build();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
