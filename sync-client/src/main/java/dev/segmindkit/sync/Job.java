package dev.segmindkit.sync;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.StatusUpdate;
import java.util.Objects;

/**
 * A submitted job, bound to the client that made or resumed it. {@link #await()} waits for the
 * outcome; {@link #status()} and {@link #result()} look once. A job is resumable from its {@link
 * #requestId()} alone, in any process, with {@link SegmindClient#job(String)}, for the service's
 * one-hour retention.
 */
public final class Job {
    private final SegmindClient client;
    private final JobHandle handle;

    Job(SegmindClient client, JobHandle handle) {
        this.client = client;
        this.handle = handle;
    }

    public String requestId() {
        return handle.requestId();
    }

    public JobHandle handle() {
        return handle;
    }

    /**
     * Polls the status once (retrying transient failures). A FAILED job reads as status FAILED
     * here; {@link #result()} and {@link #await()} throw for it.
     *
     * @throws dev.segmindkit.core.NotFoundException if the id is unknown or past retention
     */
    public StatusUpdate status() {
        try {
            return client.pollOnce(handle.requestId(), null, client.config().pollingPolicy().requestTimeout());
        } catch (InferenceFailedException e) {
            return new StatusUpdate(handle.requestId(), JobStatus.FAILED, e.metrics(), client.config().timeSource().now());
        }
    }

    /**
     * Fetches the result once. For a job not finished yet, the result has its current status and
     * no outputs.
     *
     * @throws InferenceFailedException if the job FAILED
     */
    public InferenceResult result() {
        return client.fetchResult(handle.requestId(), null, client.config().pollingPolicy().requestTimeout());
    }

    /**
     * Waits for the job with the client's polling policy and returns its result.
     *
     * @throws InferenceFailedException if the job FAILED
     * @throws InferenceTimeoutException if the policy's deadline passed first (the job may still
     *     run; resume it by its request id)
     * @throws dev.segmindkit.core.WaitInterruptedException if the thread was interrupted (the flag
     *     stays set)
     */
    public InferenceResult await() {
        return await(client.config().pollingPolicy());
    }

    /** As {@link #await()}, with another polling policy. */
    public InferenceResult await(PollingPolicy policy) {
        return client.await(handle, Objects.requireNonNull(policy, "policy"));
    }

    @Override
    public String toString() {
        return "Job{" + handle + '}';
    }
}
