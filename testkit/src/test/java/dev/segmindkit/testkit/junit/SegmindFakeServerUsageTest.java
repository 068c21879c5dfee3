package dev.segmindkit.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The annotation as a downstream suite uses it, tests running in parallel on one server. */
@SegmindFakeServer(time = SegmindFakeServer.Time.MANUAL)
@Execution(ExecutionMode.CONCURRENT)
class SegmindFakeServerUsageTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aScriptedFailureIsServedAs422AfterItsVirtualTime(FakeSegmindServer server, Tenant tenant, ManualClock clock) throws Exception {
        tenant.scriptNext("style-transfer", JobScript.fails("NSFW content detected").processingFor(Duration.ofMinutes(3)));
        String id = SegmindFakeServerExtensionTest.submit(server, tenant);

        clock.advance(Duration.ofMinutes(4));
        HttpResponse<String> result = http.send(HttpRequest.newBuilder(server.baseUrl().resolve("/v2/requests/" + id))
                .header("x-api-key", tenant.apiKey()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(result.statusCode()).isEqualTo(422);
        assertThat(result.body()).contains("\"error\":\"NSFW content detected\"");
        tenant.journal().assertPaidSubmits(1);
    }

    @Test
    void anotherTestHasItsOwnTenantAndTime(Tenant tenant, ManualClock clock) {
        assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START);
        assertThat(tenant.journal().entries()).isEmpty();
        assertThat(tenant.credits()).isEqualTo(100.0);
    }
}
