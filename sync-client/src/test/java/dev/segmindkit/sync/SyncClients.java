package dev.segmindkit.sync;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceFailedException;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The blocking client for the shared suites: its calls as they are, its listener recording status changes. */
final class SyncClients implements ClientFactory {

    @Override
    public AutoCloseable buildWith(String apiKey, String baseUrl) {
        SegmindClient.Builder builder = SegmindClient.builder();
        if (apiKey != null) {
            builder.apiKey(apiKey);
        }
        if (baseUrl != null) {
            builder.baseUrl(baseUrl);
        }
        return builder.build();
    }

    @Override
    public ClientAdapter newRealTimeClient(SegmindConfig config) {
        // The blocking client keeps its time in the config alone: nothing else to set.
        return newClient(config, null);
    }

    @Override
    public ClientAdapter newClient(SegmindConfig config, ManualClock clock) {
        List<StatusUpdate> changes = new CopyOnWriteArrayList<>();
        SegmindClient client = SegmindClient.builder().config(config).statusListener(changes::add).build();
        return new ClientAdapter() {
            @Override
            public InferenceResult run(ModelRequest request) {
                return client.run(request);
            }

            @Override
            public String submit(ModelRequest request) {
                return client.submit(request).requestId();
            }

            @Override
            public InferenceResult await(String requestId, PollingPolicy policy) {
                return client.job(requestId).await(policy);
            }

            @Override
            public StatusUpdate status(String requestId) {
                return client.job(requestId).status();
            }

            @Override
            public InferenceResult result(String requestId) {
                return client.job(requestId).result();
            }

            @Override
            public SyncImage runSync(ModelRequest request) {
                return client.runSync(request);
            }

            @Override
            public SyncResponse runSync(ModelRequest request, Path target) {
                return client.runSync(request, target);
            }

            @Override
            public CreditBalance credits() {
                return client.credits();
            }

            @Override
            public List<String> upload(Path... files) {
                return client.upload(files);
            }

            @Override
            public byte[] download(String output) {
                return client.media().read(output);
            }

            @Override
            public List<StatusUpdate> watch(String requestId, PollingPolicy policy) {
                Job job = client.job(requestId);
                int from = changes.size();
                try {
                    job.await(policy);
                } catch (InferenceFailedException failed) {
                    // A watcher sees a FAILED job end; it is not an error here.
                }
                return changes.subList(from, changes.size()).stream().filter(u -> u.requestId().equals(requestId)).toList();
            }

            @Override
            public List<StatusUpdate> statusChanges() {
                return List.copyOf(changes);
            }

            @Override
            public void close() {
                client.close();
            }

            @Override
            public String toString() {
                return client.toString();
            }
        };
    }
}
