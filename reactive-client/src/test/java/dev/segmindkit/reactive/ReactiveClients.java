package dev.segmindkit.reactive;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.tck.ClientAdapter;
import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * The reactive client for the shared suites. The adapter subscribes and waits on the test's own
 * thread (never a non-blocking one); the client's scheduler runs on the suite's {@link
 * ManualClock}, moved whenever the client is idle.
 */
final class ReactiveClients implements ClientFactory {
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    @Override
    public AutoCloseable buildWith(String apiKey, String baseUrl) {
        ReactiveSegmindClient.Builder builder = ReactiveSegmindClient.builder();
        if (apiKey != null) {
            builder.apiKey(apiKey);
        }
        if (baseUrl != null) {
            builder.baseUrl(baseUrl);
        }
        ReactiveSegmindClient client = builder.build();
        return () -> client.closeLater().block(AT_MOST);
    }

    @Override
    public ClientAdapter newClient(SegmindConfig config, ManualClock clock) {
        List<StatusUpdate> changes = new CopyOnWriteArrayList<>();
        ManualClockScheduler scheduler = new ManualClockScheduler(clock);
        InFlightProbe probe = new InFlightProbe();
        ReactiveSegmindClient client = ReactiveSegmindClient.builder().config(config).scheduler(scheduler)
                .onStatusChange(changes::add).exchangeListener(probe).build();
        scheduler.drive(probe);
        return adapter(client, changes, scheduler::dispose);
    }

    /** The client on its default scheduler (Reactor's parallel one): real time, as a user runs it. */
    @Override
    public ClientAdapter newRealTimeClient(SegmindConfig config) {
        List<StatusUpdate> changes = new CopyOnWriteArrayList<>();
        ReactiveSegmindClient client = ReactiveSegmindClient.builder().config(config).onStatusChange(changes::add).build();
        return adapter(client, changes, () -> { });
    }

    private static ClientAdapter adapter(ReactiveSegmindClient client, List<StatusUpdate> changes, Runnable afterClose) {
        return new ClientAdapter() {
            @Override
            public InferenceResult run(ModelRequest request) {
                return await(client.run(request));
            }

            @Override
            public String submit(ModelRequest request) {
                return await(client.submit(request)).requestId();
            }

            @Override
            public InferenceResult await(String requestId, PollingPolicy policy) {
                return await(client.await(requestId, policy));
            }

            @Override
            public StatusUpdate status(String requestId) {
                return await(client.status(requestId));
            }

            @Override
            public InferenceResult result(String requestId) {
                return await(client.result(requestId));
            }

            @Override
            public SyncImage runSync(ModelRequest request) {
                return await(client.runSync(request));
            }

            @Override
            public SyncResponse runSync(ModelRequest request, Path target) {
                return await(client.runSync(request, target));
            }

            @Override
            public CreditBalance credits() {
                return await(client.credits());
            }

            @Override
            public List<String> upload(Path... files) {
                return await(client.upload(files));
            }

            @Override
            public byte[] download(String output) {
                return await(client.download(output));
            }

            @Override
            public List<StatusUpdate> watch(String requestId, PollingPolicy policy) {
                return await(client.watch(requestId, policy).collectList());
            }

            @Override
            public List<StatusUpdate> statusChanges() {
                return List.copyOf(changes);
            }

            @Override
            public void close() {
                client.closeLater().block(AT_MOST);
                afterClose.run();
            }

            @Override
            public String toString() {
                return client.toString();
            }

            private <T> T await(Mono<T> mono) {
                return mono.block(AT_MOST);
            }
        };
    }
}
