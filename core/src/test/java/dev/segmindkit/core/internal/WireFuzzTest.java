package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobMetrics;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SyncResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every success-body decoder of {@link Wire} on arbitrary bytes: each either decodes or throws
 * {@link MalformedResponseException}, and what it decodes is usable (a non-blank status, a request
 * id that is one safe URL path segment, outputs without nulls, finite figures). The last input
 * byte picks the decoder (the sixth reads a v1 answer's headers), the rest is the body. See core/FUZZING.md.
 */
class WireFuzzTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final String ID = "0f8c2a4e-1b7d-4c39-9a55-3e6f0b1d2c7a";

    static {
        // Jazzer instruments a class when it loads; loading them here, before the fuzzer's clock
        // starts, leaves the short run in the build its few seconds for actual fuzzing.
        for (String body : new String[] {"{\"request_id\":\"a\",\"status\":\"QUEUED\",\"output\":[\"u\"],\"credits\":1,"
                + "\"urls\":[\"u\"],\"metrics\":{\"cost\":1}}", "[", ""}) {
            for (int decoder = 0; decoder < 5; decoder++) {
                try {
                    decode(decoder, body.getBytes(StandardCharsets.UTF_8));
                } catch (MalformedResponseException expected) {
                    // warming up only
                }
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"\"request_id\"", "\"status\"", "\"output\"", "\"metrics\"", "\"urls\"", "\"file_urls\"", "\"credits\"",
            "\"free-credits\"", "\"inference_time\"", "\"retry_count\"", "\"QUEUED\"", "\"COMPLETED\"", "\"FAILED\"", "null", "true",
            "1e999", "-0.0", "[", "]", "{", "}", ":", ",", "\\u0000", "\\u00a0", "\\ud800", "\\\""})
    void everyDecoderDecodesOrReportsAMalformedAnswer(FuzzedDataProvider data) {
        int decoder = data.consumeInt(0, 5);
        if (decoder == 5) {
            syncResponse(data);
            return;
        }
        byte[] body = data.consumeRemainingAsBytes();
        try {
            decode(decoder, body);
        } catch (MalformedResponseException expected) {
            assertThat(expected).hasMessageContaining("answer");
            assertThat(expected.requestSent()).isTrue();
        }
    }

    private static void decode(int decoder, byte[] body) {
        switch (decoder) {
            case 0:
                String id = Wire.submittedRequestId(body);
                assertThat(id).isNotBlank().matches("[A-Za-z0-9._~-]+").doesNotMatch("\\.+");
                break;
            case 1:
                StatusUpdate update = Wire.status(body, ID, NOW);
                assertThat(update.status()).isNotNull();
                assertThat(update.status().value()).isNotBlank();
                assertThat(update.requestId()).isEqualTo(ID);
                assertFinite(update.metrics());
                break;
            case 2:
                InferenceResult result = Wire.result(body, ID);
                assertThat(result.status()).isNotNull();
                assertThat(result.status().value()).isNotBlank();
                assertThat(result.outputs()).doesNotContainNull();
                assertThat(result.rawJson()).isEqualTo(new String(body, StandardCharsets.UTF_8));
                assertFinite(result.metrics());
                assertThat(result.toString()).isNotNull();
                break;
            case 3:
                List<String> urls = Wire.uploadedUrls(body);
                assertThat(urls).isNotEmpty().doesNotContainNull();
                break;
            default:
                CreditBalance balance = Wire.credits(body);
                assertThat(Double.isFinite(balance.credits()) && Double.isFinite(balance.freeCredits())).isTrue();
                break;
        }
    }

    /** The v1 answer's figures come from headers only: any header values must read or be absent. */
    private static void syncResponse(FuzzedDataProvider data) {
        long size = data.consumeLong();
        SyncResponse response = Wire.syncResponse(FuzzHeaders.consume(data), size);
        assertThat(response.contentType()).isNotNull();
        response.cost().ifPresent(c -> assertThat(Double.isFinite(c)).isTrue());
        response.remainingCredits().ifPresent(c -> assertThat(Double.isFinite(c)).isTrue());
        response.generationTime().ifPresent(t -> assertThat(t).isGreaterThanOrEqualTo(Duration.ZERO));
        assertThat(response.toString()).isNotNull();
    }

    private static void assertFinite(JobMetrics metrics) {
        assertThat(metrics).isNotNull();
        for (Optional<Duration> t : List.of(metrics.inferenceTime(), metrics.queueTime(), metrics.totalTime())) {
            t.ifPresent(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));
        }
        metrics.cost().ifPresent(v -> assertThat(Double.isFinite(v)).isTrue());
        metrics.remainingCredits().ifPresent(v -> assertThat(Double.isFinite(v)).isTrue());
        assertThat(metrics.toString()).isNotNull();
    }
}
