package dev.segmindkit.core.internal;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.UnexpectedAnswerException;
import dev.segmindkit.core.WaitInterruptedException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The wait for one job, the same for both clients, who only carry out its decisions (sleeping on
 * the {@code TimeSource}, or {@code Mono.delay} on the scheduler). Used by one poll at a time.
 *
 * <ul>
 *   <li>The schedule is the {@link PollingPolicy}'s, counted from the submit when this process made
 *       it, else from the start of the wait, rounded up to whole milliseconds (the resolution both
 *       clients wait at), never before a 429's reset.
 *   <li>A poll that would start after the deadline is not made: {@link InferenceTimeoutException}
 *       with the last status seen and the last failure.
 *   <li>A poll whose own retries are spent on a transient failure costs only that poll: the job is
 *       paid for and may well finish, so the wait rides on until the deadline.
 *   <li>The terminal outcome: a COMPLETED job's result must say COMPLETED too, a FAILED job (or a
 *       result that says FAILED) is {@link InferenceFailedException} with the service's reason.
 * </ul>
 */
public final class WaitLoop {
    private final String requestId;
    private final PollingPolicy policy;
    private final Optional<Duration> typicalDuration;
    private final RetryPolicy retryPolicy;
    private final Instant origin;
    private final Instant deadline;
    private int polls;
    private JobStatus last;
    private SegmindException lastFailure;

    /**
     * @param start now, when the wait begins
     */
    public WaitLoop(JobHandle job, PollingPolicy policy, RetryPolicy retryPolicy, Instant start) {
        this.requestId = job.requestId();
        this.policy = policy;
        this.retryPolicy = retryPolicy;
        this.typicalDuration = job.model().flatMap(model -> Spec.get().typicalDuration(model));
        this.origin = job.submittedAt().orElse(start);
        this.deadline = start.plus(policy.deadline());
    }

    public String requestId() {
        return requestId;
    }

    /** When the wait ends at the latest. */
    public Instant deadline() {
        return deadline;
    }

    /**
     * The wait before the next poll, at least {@code held} (a rate-limit reset, a poll-rate slot).
     *
     * @throws InferenceTimeoutException if that poll would start after the deadline
     */
    public Duration nextPoll(Instant now, Duration held) {
        Duration delay = policy.delayBeforePoll(polls, Duration.between(origin, now), typicalDuration);
        if (held.compareTo(delay) > 0) {
            delay = held;
        }
        delay = Duration.ofMillis(Engine.ceilMillis(delay));
        if (now.plus(delay).isAfter(deadline)) {
            throw new InferenceTimeoutException(requestId, last == null ? JobStatus.QUEUED : last, policy.deadline(), lastFailure);
        }
        polls++;
        return delay;
    }

    /** A poll's answer; true if the status changed (the first status seen counts as a change). */
    public boolean seen(StatusUpdate update) {
        lastFailure = null;
        boolean changed = !update.status().equals(last);
        last = update.status();
        return changed;
    }

    /** Whether the last status seen is terminal: the wait is over, the result is to be fetched. */
    public boolean done() {
        return last != null && last.isTerminal();
    }

    /**
     * A poll that failed, its own retries spent.
     *
     * @throws SegmindException the failure itself, when it ends the wait (the job failed, the key was
     *     refused, the thread was interrupted, anything not transient)
     */
    public void pollFailed(SegmindException e, Instant now) {
        if (e instanceof InferenceFailedException || e instanceof WaitInterruptedException
                || !retryPolicy.isRetryable(RetryPolicy.Operation.READ, e, now)) {
            throw e;
        }
        lastFailure = e;
    }

    /**
     * The outcome, from the result fetched once the status was terminal.
     *
     * @throws InferenceFailedException if the job failed
     * @throws UnexpectedAnswerException if the result contradicts the terminal status
     */
    public InferenceResult outcome(InferenceResult result) {
        if (result.status().equals(JobStatus.FAILED)) {
            throw new InferenceFailedException(requestId, Wire.failureReason(result).orElse("the service gave no reason"), result.metrics());
        }
        if (!result.status().equals(JobStatus.COMPLETED)) {
            throw new UnexpectedAnswerException("job " + requestId + ": the status said " + last + " but the result says "
                    + result.status(), requestId, null);
        }
        if (JobStatus.FAILED.equals(last)) {
            throw new UnexpectedAnswerException("job " + requestId + ": the status said FAILED but the result says COMPLETED", requestId,
                    null);
        }
        return result;
    }
}
