package dev.segmindkit.bench.overhead;

import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.reactive.ReactiveSegmindClient;
import java.time.Duration;
import java.util.Map;

/** {@link ReactiveSegmindClient#run(String, Map)}, one job at a time, blocked on by the harness thread. */
final class SdkReactiveLoop implements JobLoop {
    private final ReactiveSegmindClient client;

    SdkReactiveLoop(String baseUrl, String apiKey, Duration pollInterval) {
        this.client = ReactiveSegmindClient.builder().apiKey(apiKey).baseUrl(baseUrl).pollingPolicy(PollingPolicy.fixed(pollInterval)).build();
    }

    @Override
    public String runJob() {
        return client.run(MODEL, Map.of("style_image", STYLE_IMAGE)).block().outputs().get(0);
    }

    @Override
    public void close() {
        client.close();
    }
}
