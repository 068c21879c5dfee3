package dev.segmindkit.tck;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * One client, blocking or reactive, seen through the same blocking calls so that {@link
 * ClientBehaviourSuite} runs unchanged against both. A reactive adapter subscribes and waits for
 * the result; it must throw the client's exception unwrapped.
 */
public interface ClientAdapter extends AutoCloseable {

    /** Submit, wait with the client's policy, fetch. */
    InferenceResult run(ModelRequest request);

    /** Submit only; the request id. */
    String submit(ModelRequest request);

    /** Wait for a job known by its id with the given policy. */
    InferenceResult await(String requestId, PollingPolicy policy);

    /** One status look. */
    StatusUpdate status(String requestId);

    /** One result look. */
    InferenceResult result(String requestId);

    /** v1, held in memory. */
    SyncImage runSync(ModelRequest request);

    /** v1, streamed to a file. */
    SyncResponse runSync(ModelRequest request, Path target);

    CreditBalance credits();

    List<String> upload(Path... files);

    /** Download an output without credentials. */
    byte[] download(String output);

    /**
     * Each status change of a job until its terminal one, as the client reports them to a watcher:
     * the reactive client's {@code watch} Flux, the blocking client's listener during an {@code
     * await} (a FAILED job ends the list, it is not thrown).
     */
    List<StatusUpdate> watch(String requestId, PollingPolicy policy);

    /** Every status change the client reported (listener or Flux) since it was created, in order. */
    List<StatusUpdate> statusChanges();

    @Override
    void close();
}
