package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.json;
import static dev.segmindkit.testkit.Http.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.TimeSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A job's state as a function of its timeline and the clock: manual, auto-advanced and real. */
class LifecycleTest {
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

    private static String status(Tenant tenant, String id) {
        HttpResponse<byte[]> r = http.get("/v2/requests/" + id + "/status", tenant.apiKey());
        return r.statusCode() == 404 ? "404" : json(r).get("status").asText();
    }

    @Test
    void styleTransferIsQueuedTwoSecondsThenProcessesSeventeenUnderAManualClock() {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        String id = http.submit(tenant, Http.SMALL);

        assertThat(status(tenant, id)).isEqualTo("QUEUED");
        clock.advance(Duration.ofMillis(1999));
        assertThat(status(tenant, id)).isEqualTo("QUEUED");
        clock.advance(Duration.ofMillis(1));
        assertThat(status(tenant, id)).isEqualTo("PROCESSING");
        clock.advance(Duration.ofMillis(16_999));
        assertThat(status(tenant, id)).isEqualTo("PROCESSING");
        clock.advance(Duration.ofMillis(1));
        assertThat(status(tenant, id)).isEqualTo("COMPLETED");
    }

    @Test
    void materialTransferRunsForItsTypicalDurationFromTheSpec() {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        HttpResponse<byte[]> r = http.post("/v2/material-transfer", tenant.apiKey(),
                "{\"material_image\": \"https://example.com/m.png\", \"subject_image\": \"https://example.com/s.png\", \"max_width\": 32, \"max_height\": 32}");
        String id = json(r).get("request_id").asText();

        clock.advance(Duration.ofSeconds(165));
        assertThat(status(tenant, id)).isEqualTo("PROCESSING");
        clock.advance(Duration.ofSeconds(1));
        assertThat(status(tenant, id)).isEqualTo("COMPLETED");
    }

    @Test
    void processingMetricsShowTheQueueTime() {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock).timeline(Duration.ofSeconds(3), Duration.ofSeconds(10));
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofSeconds(4));

        JsonNode body = json(http.get("/v2/requests/" + id, tenant.apiKey()));

        assertThat(body.get("status").asText()).isEqualTo("PROCESSING");
        assertThat(body.has("output")).isFalse();
        assertThat(body.get("metrics").toString()).isEqualTo("{\"queue_time\":3.0}");
    }

    @Test
    void aFailedJobIs422OnBothGetsWithItsErrorAndMetricsAtTheRightTime() {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        tenant.scriptNext("style-transfer", JobScript.fails("CUDA out of memory").queuedFor(Duration.ofSeconds(1)).processingFor(Duration.ofSeconds(5)));
        String id = http.submit(tenant, Http.SMALL);

        clock.advance(Duration.ofSeconds(5));
        assertThat(status(tenant, id)).isEqualTo("PROCESSING");
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<byte[]> status = http.get("/v2/requests/" + id + "/status", tenant.apiKey());
        HttpResponse<byte[]> result = http.get("/v2/requests/" + id, tenant.apiKey());

        assertThat(status.statusCode()).isEqualTo(422);
        assertThat(result.statusCode()).isEqualTo(422);
        for (HttpResponse<byte[]> r : List.of(status, result)) {
            JsonNode body = json(r);
            assertThat(body.get("request_id").asText()).isEqualTo(id);
            assertThat(body.get("status").asText()).isEqualTo("FAILED");
            assertThat(body.get("error").asText()).isEqualTo("CUDA out of memory");
            assertThat(body.get("metrics").get("total_time").asDouble()).isEqualTo(6.0);
            assertThat(body.has("output")).isFalse();
        }
    }

    @Test
    void requestsExpireOneHourAfterSubmissionWithTheRealNotFoundBody() {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        String id = http.submit(tenant, Http.SMALL);

        clock.advance(Duration.ofHours(1).minusMillis(1));
        assertThat(status(tenant, id)).isEqualTo("COMPLETED");
        clock.advance(Duration.ofMillis(1));
        HttpResponse<byte[]> status = http.get("/v2/requests/" + id + "/status", tenant.apiKey());
        HttpResponse<byte[]> result = http.get("/v2/requests/" + id, tenant.apiKey());

        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(text(status)).isEqualTo("{\"error\":\"Request " + id + " not found\"}");
        assertThat(result.statusCode()).isEqualTo(404);
        assertThat(text(result)).isEqualTo("{\"error\":\"Request " + id + " not found\"}");
    }

    @Test
    void aJobStillRunningAfterAnHourIsGoneToo() {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        tenant.scriptNext("style-transfer", JobScript.completes().processingFor(Duration.ofHours(2)));
        String id = http.submit(tenant, Http.SMALL);

        clock.advance(Duration.ofMinutes(59));
        assertThat(status(tenant, id)).isEqualTo("PROCESSING");
        clock.advance(Duration.ofMinutes(1));
        assertThat(status(tenant, id)).isEqualTo("404");
    }

    @Test
    void aClientSleepingOnTheSameManualClockWaitsATenMinuteJobInMilliseconds() throws InterruptedException {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ofMinutes(1)).processingFor(Duration.ofMinutes(9)));
        String id = http.submit(tenant, Http.SMALL);
        long started = System.nanoTime();

        String state = status(tenant, id);
        int polls = 1;
        while (!state.equals("COMPLETED")) {
            clock.sleep(Duration.ofSeconds(1)); // what a client on this clock does between polls
            state = status(tenant, id);
            polls++;
        }

        assertThat(polls).isEqualTo(601);
        assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(10)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        tenant.journal().assertPollSpacingAtLeast(Duration.ofSeconds(1));
        tenant.journal().assertNoPollAfterTerminal();
    }

    @Test
    void autoAdvanceMovesTheClockOnEveryStatusPollForBlackBoxClients() {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock).autoAdvance(Duration.ofSeconds(5));
        String id = http.submit(tenant, Http.SMALL);

        List<String> seen = new ArrayList<>();
        List<Instant> at = new ArrayList<>();
        String state;
        do {
            state = status(tenant, id);
            seen.add(state);
            at.add(clock.now());
        } while (!state.equals("COMPLETED"));

        // 2 s queued, 17 s processing: polls at 5, 10, 15 s see PROCESSING, the one at 20 s COMPLETED
        assertThat(seen).containsExactly("PROCESSING", "PROCESSING", "PROCESSING", "COMPLETED");
        assertThat(at.get(3)).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(20));
        http.get("/v2/requests/" + id, tenant.apiKey());
        assertThat(clock.now()).as("result fetches do not move the clock").isEqualTo(ManualClock.DEFAULT_START.plusSeconds(20));
    }

    @Test
    void autoAdvanceSeesQueuedWhenTheStepIsShorterThanTheQueue() {
        Tenant tenant = server.newTenant(new ManualClock()).autoAdvance(Duration.ofSeconds(1)).timeline(Duration.ofSeconds(2), Duration.ofSeconds(2));
        String id = http.submit(tenant, Http.SMALL);

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seen.add(status(tenant, id));
        }

        assertThat(seen).containsExactly("QUEUED", "PROCESSING", "PROCESSING", "COMPLETED", "COMPLETED");
    }

    @Test
    void aServerBuiltWithAutoAdvanceStepsItsManualClockOnEveryStatusPoll() {
        try (FakeSegmindServer auto = FakeSegmindServer.builder().autoAdvance(Duration.ofSeconds(30)).start()) {
            Http h = new Http(auto);
            Tenant tenant = auto.newTenant();
            String id = h.submit(tenant, Http.SMALL);

            HttpResponse<byte[]> r = h.get("/v2/requests/" + id + "/status", tenant.apiKey());

            assertThat(json(r).get("status").asText()).isEqualTo("COMPLETED");
            assertThat(auto.clock()).isInstanceOf(ManualClock.class);
        }
    }

    @Test
    void realTimeJobsFinishInAFewHundredMilliseconds() {
        Tenant tenant = server.newTenant();
        assertThat(tenant.clock()).isSameAs(TimeSource.system());
        String id = http.submit(tenant, Http.SMALL);
        long started = System.nanoTime();

        // Polls back to back (no sleeping): a few hundred milliseconds of real time is all it takes.
        String state = status(tenant, id);
        List<String> seen = new ArrayList<>(List.of(state));
        while (!state.equals("COMPLETED") && System.nanoTime() - started < 5_000_000_000L) {
            state = status(tenant, id);
            if (!state.equals(seen.get(seen.size() - 1))) {
                seen.add(state);
            }
        }

        assertThat(seen).containsExactly("QUEUED", "PROCESSING", "COMPLETED");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void rescriptingASubmittedJobChangesItsFutureOnItsOriginalTimeline() {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofSeconds(5));

        tenant.script(id, JobScript.fails("NSFW content detected").queuedFor(Duration.ofSeconds(1)).processingFor(Duration.ofSeconds(3)));

        assertThat(status(tenant, id)).isEqualTo("FAILED");
    }
}
