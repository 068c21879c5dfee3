package dev.segmindkit.reactive.internal;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.internal.Exchange;
import dev.segmindkit.core.internal.Route;
import dev.segmindkit.core.internal.WaitLoop;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Waiting for a job: the core {@link WaitLoop} decides (schedule, deadline, riding through
 * transient failures, the terminal outcome); each poll is a {@code Mono.delay} on the client's
 * scheduler followed by one status request, repeated until a terminal status. Cancelling the
 * subscription disposes the pending delay (or the request under way), so no further request is
 * sent; closing the client ends the wait at once.
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
        return Flux.defer(() -> changes(start(job, policy), policy, true));
    }

    /**
     * The job's result once it is terminal: COMPLETED gives the result, FAILED gives {@link
     * InferenceFailedException}, the deadline gives {@code InferenceTimeoutException}.
     */
    public Mono<InferenceResult> await(JobHandle job, PollingPolicy policy) {
        return Mono.defer(() -> {
            WaitLoop wait = start(job, policy);
            return changes(wait, policy, false)
                    .then(Mono.defer(() -> endpoints.result(wait.requestId(), wait.deadline(), policy.requestTimeout())))
                    .map(wait::outcome);
        });
    }

    private WaitLoop start(JobHandle job, PollingPolicy policy) {
        return new WaitLoop(job, policy, retryPolicy, endpoints.transport().now());
    }

    private Flux<StatusUpdate> changes(WaitLoop wait, PollingPolicy policy, boolean failedAsUpdate) {
        String id = wait.requestId();
        Exchange polling = Exchange.read(Route.STATUS, id, id, wait.deadline(), policy.requestTimeout());
        Mono<Optional<StatusUpdate>> poll = Mono.defer(() -> {
            Transport transport = endpoints.transport();
            Duration delay = wait.nextPoll(transport.now(), transport.engine().rateLimitWait());
            Mono<Optional<StatusUpdate>> once = endpoints.status(id, wait.deadline(), policy.requestTimeout())
                    .onErrorResume(InferenceFailedException.class,
                            e -> failedAsUpdate ? Mono.just(endpoints.failedUpdate(id, e)) : Mono.error(e))
                    .map(update -> wait.seen(update) ? Optional.of(update) : Optional.<StatusUpdate>empty())
                    .onErrorResume(SegmindException.class, e -> {
                        wait.pollFailed(e, transport.now());
                        return Mono.just(Optional.empty());
                    });
            return delay.isZero() ? once : transport.delay(delay, polling).then(once);
        });
        return poll.repeat(() -> !wait.done())
                .filter(Optional::isPresent)
                .map(Optional::get)
                .doOnNext(onStatusChange);
    }
}
