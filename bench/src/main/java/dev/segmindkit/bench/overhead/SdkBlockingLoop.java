package dev.segmindkit.bench.overhead;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.sync.SegmindClient;
import java.time.Duration;
import java.util.Map;

/** {@link SegmindClient#run(String, Map)}: the SDK's own submit, wait and fetch. */
final class SdkBlockingLoop implements JobLoop {
    private final SegmindClient client;

    SdkBlockingLoop(String baseUrl, String apiKey, Duration pollInterval) {
        this.client = SegmindClient.builder().apiKey(apiKey).baseUrl(baseUrl).pollingPolicy(PollingPolicy.fixed(pollInterval)).build();
    }

    @Override
    public String runJob() {
        InferenceResult result = client.run(MODEL, Map.of("style_image", STYLE_IMAGE));
        return result.outputs().get(0);
    }

    @Override
    public void close() {
        client.close();
    }
}
