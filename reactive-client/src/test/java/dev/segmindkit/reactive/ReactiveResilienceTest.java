package dev.segmindkit.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.CircuitOpenException;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.ServerException;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user's own Resilience4j setup in the reactive client, and the safety rules it cannot loosen. */
class ReactiveResilienceTest {
    private static final Duration VERIFY = Duration.ofSeconds(30);
    private static FakeSegmindServer server;
    private Tenant tenant;

    @BeforeAll
    static void start() {
        server = FakeSegmindServer.builder().model("flux-schnell").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void tenant() {
        tenant = server.newTenant();
        tenant.timeline(Duration.ZERO, Duration.ZERO);
    }

    private ReactiveSegmindClient.Builder client() {
        return ReactiveSegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString())
                .pollingPolicy(PollingPolicy.fixed(Duration.ofMillis(10)))
                .retryPolicy(RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(1)).withJitter(0.0));
    }

    private static ModelRequest generic() {
        return ModelRequest.of("flux-schnell", Map.of("prompt", "a red fox"));
    }

    @Test
    void aRegistryThatRetriesEverythingStillNeverResendsASubmitThatWasSent() {
        RetryConfig everything = RetryConfig.custom().maxAttempts(10).retryOnException(e -> true).waitDuration(Duration.ofMillis(1))
                .build();
        tenant.inject(Phase.SUBMIT, Fault.disconnectAfterHandling());
        ReactiveSegmindClient c = client().retryRegistry(RetryRegistry.of(Map.of("segmind-read", everything, "segmind-submit", everything)))
                .build();
        try {
            assertThatThrownBy(() -> c.submit(generic()).block(VERIFY)).isInstanceOf(SubmitOutcomeUnknownException.class);
        } finally {
            c.closeLater().block(VERIFY);
        }
        assertThat(tenant.journal().entries(Phase.SUBMIT)).hasSize(1);
    }

    @Test
    void theRegistrysRetriesAreTheClientsAndItsEventsAreHeard() {
        RetryRegistry registry = RetryRegistry.ofDefaults();
        List<String> events = new CopyOnWriteArrayList<>();
        tenant.inject(Phase.RESULT, Fault.status(503).times(2));
        ReactiveSegmindClient c = client().retryRegistry(registry).build();
        registry.retry("segmind-read").getEventPublisher().onRetry(e -> events.add(e.getName()));
        try {
            assertThat(c.run(generic()).block(VERIFY).status()).isEqualTo(JobStatus.COMPLETED);
        } finally {
            c.closeLater().block(VERIFY);
        }
        assertThat(events).containsOnly("segmind-read").hasSize(2);
    }

    @Test
    void anOpenCircuitBreakerFailsFastAndSendsNothing() {
        CircuitBreaker breaker = CircuitBreaker.of("segmind", CircuitBreakerConfig.custom().slidingWindowSize(2).minimumNumberOfCalls(2)
                .failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1)).build());
        tenant.inject(Phase.CREDITS, Fault.status(500).always());
        ReactiveSegmindClient c = client().circuitBreaker(breaker).retryPolicy(RetryPolicy.none()).build();
        try {
            assertThatThrownBy(() -> c.credits().block(VERIFY)).isInstanceOf(ServerException.class);
            assertThatThrownBy(() -> c.credits().block(VERIFY)).isInstanceOf(ServerException.class);
            int sent = tenant.journal().entries(Phase.CREDITS).size();

            assertThatThrownBy(() -> c.credits().block(VERIFY)).isInstanceOf(CircuitOpenException.class).hasMessageContaining("segmind");
            assertThat(tenant.journal().entries(Phase.CREDITS)).hasSize(sent);
        } finally {
            c.closeLater().block(VERIFY);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
