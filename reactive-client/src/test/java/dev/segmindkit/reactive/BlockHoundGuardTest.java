package dev.segmindkit.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Tenant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Proves the guard the other tests of this module rely on: BlockHound is installed for every test
 * (by blockhound-junit-platform) and catches a blocking call on Reactor's parallel threads and on
 * the client's Reactor Netty event loops. Without it, "passes with BlockHound installed" would
 * prove nothing.
 */
class BlockHoundGuardTest {
    private static final Duration VERIFY = Duration.ofSeconds(10);

    @Test
    void aBlockingCallOnAParallelSchedulerThreadIsCaught() {
        StepVerifier.create(Mono.delay(Duration.ofMillis(1), Schedulers.parallel()).doOnNext(tick -> LockSupport.parkNanos(1_000)))
                .expectError(BlockingOperationError.class)
                .verify(VERIFY);
    }

    @Test
    void aBlockingCallOnTheClientsEventLoopIsCaught() {
        try (FakeSegmindServer server = FakeSegmindServer.builder().model("flux-schnell").start()) {
            Tenant tenant = server.newTenant();
            try (ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey())
                    .baseUrl(server.baseUrl().toString()).build()) {
                ModelRequest request = ModelRequest.of("flux-schnell", Map.of("prompt", "x", "width", 8, "height", 8));
                StepVerifier.create(client.runSync(request, (response, body) -> body.doOnNext(buffer -> {
                            assertThat(Thread.currentThread().getName()).startsWith("reactor-http-");
                            LockSupport.parkNanos(1_000);
                        }).count()))
                        .expectError(BlockingOperationError.class)
                        .verify(VERIFY);
            }
        }
    }
}
