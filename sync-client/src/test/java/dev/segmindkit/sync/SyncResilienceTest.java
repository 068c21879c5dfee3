package dev.segmindkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.CircuitOpenException;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.ServerException;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.ManualClock;
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

/** The user's own Resilience4j setup, and the safety rules it cannot loosen. */
class SyncResilienceTest {
    private static FakeSegmindServer server;
    private ManualClock clock;
    private Tenant tenant;

    @BeforeAll
    static void start() {
        server = FakeSegmindServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void tenant() {
        clock = new ManualClock();
        tenant = server.newTenant(clock);
    }

    private SegmindClient.Builder client() {
        return SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString()).timeSource(clock);
    }

    private static ModelRequest style() {
        return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/s.png"));
    }

    /** A registry whose configurations retry everything, ten times, at once: as loose as a user can make it. */
    private static RetryRegistry hostileRegistry() {
        RetryConfig everything = RetryConfig.custom().maxAttempts(10).retryOnException(e -> true).waitDuration(Duration.ofMillis(1))
                .build();
        return RetryRegistry.of(Map.of("segmind-read", everything, "segmind-submit", everything));
    }

    @Test
    void aRegistryThatRetriesEverythingStillNeverResendsASubmitThatWasSent() {
        tenant.inject(Phase.SUBMIT, Fault.disconnectAfterHandling());
        try (SegmindClient c = client().retryRegistry(hostileRegistry()).build()) {
            assertThatThrownBy(() -> c.submit(style())).isInstanceOf(SubmitOutcomeUnknownException.class);
        }
        assertThat(tenant.journal().entries(Phase.SUBMIT)).hasSize(1);
    }

    @Test
    void theRegistrysRetriesAreTheClientsAndItsEventsAreHeard() {
        RetryRegistry registry = RetryRegistry.ofDefaults();
        List<String> events = new CopyOnWriteArrayList<>();
        tenant.inject(Phase.STATUS, Fault.status(503).times(2));
        try (SegmindClient c = client().retryRegistry(registry).build()) {
            registry.retry("segmind-read").getEventPublisher().onRetry(e -> events.add(e.getName()));
            assertThat(c.run(style()).status()).isEqualTo(JobStatus.COMPLETED);
        }
        assertThat(events).containsOnly("segmind-read").hasSize(2);
        assertThat(registry.retry("segmind-read").getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void anOpenCircuitBreakerFailsFastAndSendsNothing() {
        CircuitBreaker breaker = CircuitBreaker.of("segmind", CircuitBreakerConfig.custom().slidingWindowSize(2).minimumNumberOfCalls(2)
                .failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1)).build());
        tenant.inject(Phase.CREDITS, Fault.status(500).always());
        try (SegmindClient c = client().circuitBreaker(breaker).retryPolicy(dev.segmindkit.core.RetryPolicy.none()).build()) {
            assertThatThrownBy(c::credits).isInstanceOf(ServerException.class);
            assertThatThrownBy(c::credits).isInstanceOf(ServerException.class);
            int sent = tenant.journal().entries(Phase.CREDITS).size();

            assertThatThrownBy(c::credits).isInstanceOf(CircuitOpenException.class).hasMessageContaining("segmind");
            assertThat(tenant.journal().entries(Phase.CREDITS)).hasSize(sent);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
