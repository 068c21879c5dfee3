package dev.segmindkit.resilience;

import dev.segmindkit.core.CircuitOpenException;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.internal.Engine;
import dev.segmindkit.core.internal.Exchange;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.util.concurrent.TimeUnit;

/**
 * A client's Resilience4j instances: its two retries, made in the user's {@link RetryRegistry}
 * (or a registry of its own) under their documented names, and its optional circuit breaker. The
 * retries give their events and metrics to the user's tooling and propose each wait; the {@link
 * Engine} has the last word on every retry ({@link Engine#retryDelay}), so no configuration loosens
 * the safety rules. Both clients wait themselves, on their own clock: Resilience4j's blocking
 * decorator sleeps on a process-wide function, which would bypass the client's time source.
 */
public final class Resilience {
    /** The retry of reads (status polls, results, credits, media), as documented. */
    public static final String READ_RETRY = "segmind-read";
    /** The retry of requests that may start a job (submits, v1, uploads), as documented. */
    public static final String SUBMIT_RETRY = "segmind-submit";

    private final Engine engine;
    private final Retry read;
    private final Retry submit;
    private final CircuitBreaker breaker;

    /**
     * The retries and breaker of one client.
     *
     * @param engine the client's engine, whose rules have the last word on every retry
     * @param registry the user's registry, or null for one of the client's own
     * @param breaker the user's circuit breaker, or null for none
     */
    @SuppressWarnings("exports") // core exports its internals to our modules only, on purpose
    public Resilience(Engine engine, RetryRegistry registry, CircuitBreaker breaker) {
        this.engine = engine;
        RetryRegistry r = registry == null ? RetryRegistry.ofDefaults() : registry;
        this.read = retry(r, READ_RETRY, RetryPolicy.Operation.READ);
        this.submit = retry(r, SUBMIT_RETRY, RetryPolicy.Operation.SUBMIT);
        this.breaker = breaker;
    }

    /** The registry's configuration of that name if it has one (the user's tuning), else the {@link RetryPolicy}'s. */
    private Retry retry(RetryRegistry registry, String name, RetryPolicy.Operation kind) {
        RetryConfig config = registry.getConfiguration(name).orElseGet(() -> RetryConfig.custom()
                .maxAttempts(engine.config().retryPolicy().maxAttempts())
                .retryOnException(e -> engine.retryable(kind, e))
                .intervalBiFunction((Integer attempt, Either<Throwable, Object> outcome) ->
                        engine.proposedDelayMillis(attempt, outcome.isLeft() ? outcome.getLeft() : null))
                .build());
        return registry.retry(name, config);
    }

    /**
     * A new retry context for one exchange: its attempts are counted and its events published.
     *
     * @param x the exchange about to be attempted
     * @return the read retry's context for a read, the submit retry's otherwise
     */
    @SuppressWarnings("exports") // core exports its internals to our modules only, on purpose
    public Retry.AsyncContext<Object> retryOf(Exchange x) {
        return (x.route().kind() == RetryPolicy.Operation.READ ? read : submit).asyncContext();
    }

    /**
     * Asks the breaker, if there is one, to let an attempt go out.
     *
     * @param x the exchange about to be attempted, named in the exception
     * @throws CircuitOpenException if it is open: nothing is sent
     */
    @SuppressWarnings("exports") // core exports its internals to our modules only, on purpose
    public void permit(Exchange x) {
        if (breaker != null && !breaker.tryAcquirePermission()) {
            throw new CircuitOpenException(x.operation(), breaker.getName(), x.requestId());
        }
    }

    /**
     * Tells the breaker how an attempt ended: a failure of the service counts against it, anything else for it.
     *
     * @param startedNanos {@link System#nanoTime()} when the attempt went out
     * @param failure how it failed, or null if it succeeded
     */
    public void record(long startedNanos, Throwable failure) {
        if (breaker == null) {
            return;
        }
        long nanos = System.nanoTime() - startedNanos;
        if (failure != null && Engine.serviceFailure(failure)) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
