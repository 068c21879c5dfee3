package dev.segmindkit.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Tenant;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * 10,000 jobs in flight at once on one client, against the fake in real time: all complete without
 * error, answered on no more than 2 x cores event-loop threads, and the heap each waiting job costs
 * is measured (the goal is at most 10 KB). Runs with BlockHound installed, like every test here.
 *
 * <p>The figures are printed (look for "10k jobs:" in the test's output); reproduce with {@code
 * ./mvnw -pl reactive-client verify -Dtest=TenThousandJobsTest}.
 */
class TenThousandJobsTest {
    private static final int JOBS = 10_000;
    private static final Duration VERIFY = Duration.ofMinutes(3);

    @Test
    void tenThousandJobsInFlightCompleteOnFewEventLoopThreadsWithLittleHeapEach() {
        int cores = Runtime.getRuntime().availableProcessors();
        Set<String> eventLoops = ConcurrentHashMap.newKeySet();
        try (FakeSegmindServer server = FakeSegmindServer.builder().model("flux-schnell").start()) {
            Tenant tenant = server.newTenant().credits(1_000_000).timeline(Duration.ZERO, Duration.ofSeconds(2));
            // Every wait stays quiet for 3 s after it starts, long enough to measure 10,000 of them parked.
            PollingPolicy policy = PollingPolicy.fixed(Duration.ofSeconds(1)).withFirstPollDelay(Duration.ofSeconds(3));
            ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(tenant.apiKey())
                    .baseUrl(server.baseUrl().toString()).pollingPolicy(policy)
                    .onStatusChange(update -> eventLoops.add(Thread.currentThread().getName()))
                    .build();
            try {
                ModelRequest request = ModelRequest.of("flux-schnell", Map.of("prompt", "a red fox", "width", 8, "height", 8));
                long started = System.nanoTime();
                List<JobHandle> handles = Flux.range(0, JOBS).flatMap(i -> client.submit(request), JOBS).collectList().block(VERIFY);
                assertThat(handles).hasSize(JOBS);
                long submitted = System.nanoTime();

                long before = usedHeapAfterGc();
                List<Mono<InferenceResult>> waits = handles.stream().map(client::await).toList();
                Mono<List<InferenceResult>> all = Flux.merge(Flux.fromIterable(waits), JOBS).collectList().cache();
                all.subscribe(results -> { }, error -> { });
                long after = usedHeapAfterGc();
                List<InferenceResult> results = all.block(VERIFY);
                long done = System.nanoTime();

                assertThat(results).hasSize(JOBS).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.COMPLETED));
                tenant.journal().assertPaidSubmits(JOBS);
                long perJob = (after - before) / JOBS;
                System.out.printf("10k jobs: %d cores; status changes seen on %d threads %s; %d bytes of heap per waiting job; "
                        + "submits %d ms, waits %d ms%n", cores, eventLoops.size(), eventLoops, perJob,
                        (submitted - started) / 1_000_000, (done - submitted) / 1_000_000);
                assertThat(eventLoops).hasSizeLessThanOrEqualTo(2 * cores).allMatch(name -> name.startsWith("reactor-http-"));
                assertThat(perJob).isLessThanOrEqualTo(10 * 1024);
            } finally {
                client.closeLater().block(VERIFY);
            }
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
