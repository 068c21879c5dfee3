package dev.segmindkit.resilience;

import dev.segmindkit.core.ClientBuilder;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.RetryRegistry;
import java.util.Objects;

/**
 * The Resilience4j doors both clients' builders share, on top of {@link ClientBuilder}'s settings.
 *
 * @param <B> the client's own builder
 */
public abstract class ResilientClientBuilder<B extends ResilientClientBuilder<B>> extends ClientBuilder<B> {
    private RetryRegistry retryRegistry;
    private CircuitBreaker circuitBreaker;

    /** A builder with neither a registry nor a breaker set: the client then makes its own registry. */
    protected ResilientClientBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The Resilience4j registry the client's retries are made in, as {@value Resilience#READ_RETRY}
     * and {@value Resilience#SUBMIT_RETRY}: their events and metrics appear there, and a
     * configuration of that name in the registry replaces the {@link dev.segmindkit.core.RetryPolicy}'s.
     * No configuration can loosen the safety rules: a sent submit is never re-sent, a 429's reset is
     * waited for, no wait passes the deadline. The waits stay on the client's own clock.
     *
     * @param registry the user's registry
     * @return this builder
     */
    public B retryRegistry(RetryRegistry registry) {
        this.retryRegistry = Objects.requireNonNull(registry, "registry");
        return self();
    }

    /**
     * A Resilience4j circuit breaker around every request: while it is open, calls fail at once with
     * {@link dev.segmindkit.core.CircuitOpenException} and nothing is sent. Network failures and 5xx
     * answers count against it; 4xx answers do not.
     *
     * @param breaker the user's circuit breaker
     * @return this builder
     */
    public B circuitBreaker(CircuitBreaker breaker) {
        this.circuitBreaker = Objects.requireNonNull(breaker, "breaker");
        return self();
    }

    /**
     * For the client's {@code build()}.
     *
     * @return the registry set, or null
     */
    protected final RetryRegistry retryRegistrySetting() {
        return retryRegistry;
    }

    /**
     * For the client's {@code build()}.
     *
     * @return the breaker set, or null
     */
    protected final CircuitBreaker circuitBreakerSetting() {
        return circuitBreaker;
    }
}
