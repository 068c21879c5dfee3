package dev.segmindkit.reactive.internal;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.internal.Spec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Waiting for a job, built from Reactor operators: each poll is a {@code Mono.delay} on the
 * client's scheduler followed by one status request, chained with {@code expand} until a terminal
 * status. Cancelling the subscription disposes the pending delay (or the request under way), so no
 * further request is sent.
 *
 * <p>The schedule is the {@link PollingPolicy}'s, the same as the blocking client's: a first poll
 * after the quiet period, then the interval growing to its maximum; a poll that would start after
 * the deadline is not made, and the wait ends with {@link InferenceTimeoutException} carrying the
 * last status seen. A poll whose own retries are spent on a transient failure costs only that
 * poll: the job is paid for and may well finish, so the wait goes on until the deadline.
 */
public final class Poller {
    private final Endpoints endpoints;
    private final RetryPolicy retryPolicy;
    private final Consumer<StatusUpdate> onStatusChange;

    public Poller(Endpoints endpoints, RetryPolicy retryPolicy, Consumer<StatusUpdate> onStatusChange) {
        this.endpoints = endpoints;
        this.retryPolicy = retryPolicy;
        this.onStatusChange = onStatusChange;
    }

    /**
     * Each status change of the job, the first status seen included, completing after the terminal
     * one. A FAILED job ends with a FAILED update, not an error.
     */
    public Flux<StatusUpdate> watch(JobHandle job, PollingPolicy policy) {
        return changes(job, policy, true);
    }

    /**
     * The job's result once it is terminal: COMPLETED gives the result, FAILED gives {@link
     * InferenceFailedException}, the deadline gives {@link InferenceTimeoutException}.
     */
    public Mono<InferenceResult> await(JobHandle job, PollingPolicy policy) {
        String requestId = job.requestId();
        return changes(job, policy, false)
                .filter(update -> update.status().isTerminal())
                // last(), not next(): the polls end by themselves after the terminal status, and
                // next() would cancel the finished poll before handing on its value, a moment in
                // which the client would look idle although the fetch is about to start.
                .last()
                // A FAILED status answered with 200 still has its reason on the result endpoint (as
                // a 422), so both terminal states end with one fetch.
                .flatMap(terminal -> endpoints.result(requestId, policy.requestTimeout()))
                .flatMap(result -> result.status().equals(JobStatus.FAILED)
                        ? Mono.error(new InferenceFailedException(requestId, "the service gave no reason", result.metrics()))
                        : Mono.just(result));
    }

    private Flux<StatusUpdate> changes(JobHandle job, PollingPolicy policy, boolean failedAsUpdate) {
        return Flux.defer(() -> {
            Wait wait = new Wait(job, policy, failedAsUpdate, endpoints.transport().now());
            return wait.next()
                    .expand(step -> step.update != null && step.update.status().isTerminal() ? Mono.empty() : wait.next())
                    .filter(step -> step.changed)
                    .map(step -> step.update)
                    .doOnNext(onStatusChange);
        });
    }

    /** One poll's outcome: the update, or null when the poll failed and the wait rides on. */
    private static final class Step {
        final StatusUpdate update;
        final boolean changed;

        Step(StatusUpdate update, boolean changed) {
            this.update = update;
            this.changed = changed;
        }
    }

    /** The state of one wait. Touched by one poll at a time: the polls are strictly sequential. */
    private final class Wait {
        private final String requestId;
        private final PollingPolicy policy;
        private final Optional<Duration> typicalDuration;
        private final boolean failedAsUpdate;
        /** When the job was submitted, if this process submitted it; else when waiting began. */
        private final Instant origin;
        private final Instant deadline;
        private int polls;
        private JobStatus last;
        private SegmindException lastFailure;

        Wait(JobHandle job, PollingPolicy policy, boolean failedAsUpdate, Instant start) {
            this.requestId = job.requestId();
            this.policy = policy;
            this.typicalDuration = job.model().flatMap(model -> Spec.get().typicalDuration(model));
            this.failedAsUpdate = failedAsUpdate;
            this.origin = job.submittedAt().orElse(start);
            this.deadline = start.plus(policy.deadline());
        }

        Mono<Step> next() {
            return Mono.defer(() -> {
                Instant now = endpoints.transport().now();
                Duration delay = policy.delayBeforePoll(polls, Duration.between(origin, now), typicalDuration);
                // A poll is held until a 429's reset: counted here, so that a reset past the
                // deadline ends the wait instead of sending the poll late.
                Duration held = endpoints.transport().rateLimitWait();
                delay = wholeMillis(held.compareTo(delay) > 0 ? held : delay);
                if (now.plus(delay).isAfter(deadline)) {
                    return Mono.error(new InferenceTimeoutException(requestId, last == null ? JobStatus.QUEUED : last,
                            policy.deadline(), lastFailure));
                }
                polls++;
                Mono<Step> poll = endpoints.status(requestId, deadline, policy.requestTimeout())
                        .onErrorResume(InferenceFailedException.class,
                                e -> failedAsUpdate ? Mono.just(endpoints.failedUpdate(requestId, e)) : Mono.error(e))
                        .map(this::seen)
                        .onErrorResume(SegmindException.class, this::rideThrough);
                return delay.isZero() ? poll : Mono.delay(delay, endpoints.transport().scheduler()).then(poll);
            });
        }

        /**
         * The delay rounded up to whole milliseconds, the resolution Reactor schedules at: the
         * deadline is checked against the instant the poll will really go out.
         */
        private Duration wholeMillis(Duration delay) {
            Duration millis = Duration.ofMillis(delay.toMillis());
            return millis.equals(delay) ? delay : millis.plusMillis(1);
        }

        private Step seen(StatusUpdate update) {
            lastFailure = null;
            boolean changed = !update.status().equals(last);
            last = update.status();
            return new Step(update, changed);
        }

        private Mono<Step> rideThrough(SegmindException e) {
            if (e instanceof InferenceFailedException || !retryPolicy.isRetryable(RetryPolicy.Operation.READ, e, endpoints.transport().now())) {
                return Mono.error(e);
            }
            lastFailure = e;
            return Mono.just(new Step(null, false));
        }
    }
}
