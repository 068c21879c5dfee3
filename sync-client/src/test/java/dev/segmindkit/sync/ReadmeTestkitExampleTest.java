package dev.segmindkit.sync;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import dev.segmindkit.testkit.junit.SegmindFakeServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's testkit example, verbatim, so the README cannot drift from what compiles and passes. */
@SegmindFakeServer(time = SegmindFakeServer.Time.MANUAL)
class ReadmeTestkitExampleTest {
    @Test
    void aFailedJobIsReportedAfterItsVirtualTime(FakeSegmindServer server, Tenant tenant, ManualClock clock) {
        tenant.scriptNext("style-transfer", JobScript.fails("NSFW content detected").processingFor(Duration.ofMinutes(3)));
        tenant.inject(Phase.STATUS, Fault.status(503).times(2));          // the next two polls get 503
        try (SegmindClient client = SegmindClient.builder().apiKey(tenant.apiKey())
                .baseUrl(server.baseUrl().toString()).timeSource(clock).build()) {
            assertThrows(InferenceFailedException.class,
                    () -> client.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/s.png")));
        }
        tenant.journal().assertPaidSubmits(1);
        tenant.journal().assertNoPollAfterTerminal();
    }
}
