package dev.segmindkit.sync;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.tck.ClientAdapter;
import dev.segmindkit.tck.ClientBehaviourSuite;
import dev.segmindkit.testkit.ManualClock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The shared behaviour suite, run against the blocking client. */
class SyncClientBehaviourTest extends ClientBehaviourSuite {

    @Override
    protected ClientAdapter newClient(SegmindConfig config, ManualClock clock) {
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
