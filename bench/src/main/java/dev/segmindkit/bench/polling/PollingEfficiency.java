package dev.segmindkit.bench.polling;

import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.sync.Job;
import dev.segmindkit.sync.SegmindClient;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Polling efficiency, issue 7 part 3: the SDK's default {@link PollingPolicy} against the official
 * Python SDK's schedule (first poll at once, then every 1.0 s, i.e. {@code PollingPolicy.fixed(1 s)}),
 * on the same job durations, through the real blocking client and the testkit's fake.
 *
 * <p>Every job runs on its own {@link ManualClock}, shared by the fake's tenant and the client, so
 * requests take no clock time and sleeping moves the clock: the counts and delays are exact and a
 * 164 s job takes milliseconds. Job durations are log-normal around each model's typical duration
 * (17 s and 164 s, from the spec) with spread {@code --spread} (σ, default 0.2: most jobs within
 * ±40%), drawn once from {@code --seed} and used for both policies. Per job the harness records the
 * status calls (from the fake's journal) and the notice delay: the clock when the client returned
 * minus the instant the job completed.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.segmindkit.bench.polling.PollingEfficiency
 * [--jobs 1000] [--spread 0.2] [--seed 7]}.
 */
public final class PollingEfficiency {
    private static final PollingPolicy PYTHON = PollingPolicy.fixed(Duration.ofSeconds(1));
    private static final String IMAGE = "https://example.com/input.png";

    private PollingEfficiency() {
    }

    /** One model's jobs under one policy: status calls and notice delays, per job. */
    record Outcome(int[] statusCalls, double[] delaysSeconds) {
        double meanCalls() {
            return Arrays.stream(statusCalls).average().orElse(0);
        }

        double meanDelay() {
            return Arrays.stream(delaysSeconds).average().orElse(0);
        }

        double p95Delay() {
            double[] sorted = delaysSeconds.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
        }
    }

    public static void main(String[] args) throws Exception {
        int jobs = intArg(args, "--jobs", 1000);
        double spread = Double.parseDouble(arg(args, "--spread", "0.2"));
        long seed = Long.parseLong(arg(args, "--seed", "7"));
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

        System.out.printf(Locale.ROOT, "Polling efficiency: %d jobs per model, log-normal durations, spread %.2f, seed %d, %s, JDK %s%n",
                jobs, spread, seed, "default policy " + PollingPolicy.defaults(), Runtime.version());
        System.out.printf(Locale.ROOT, "%-18s %-8s %12s %12s %12s%n", "model", "policy", "calls/job", "mean delay", "p95 delay");
        try (FakeSegmindServer fake = FakeSegmindServer.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (String model : List.of("style-transfer", "material-transfer")) {
                    ModelRequest request = request(model);
                    Duration typical = request.typicalDuration().orElseThrow();
                    double[] durations = durations(jobs, typical, spread, new Random(seed ^ model.hashCode()));
                    Outcome python = run(fake, pool, threads, request, PYTHON, durations);
                    Outcome ours = run(fake, pool, threads, request, PollingPolicy.defaults(), durations);
                    print(model, "python", python);
                    print(model, "default", ours);
                    System.out.printf(Locale.ROOT, "%-18s %-8s %12.3f %12.3f %12.3f   (ratios default/python)%n", model, "ratio",
                            ours.meanCalls() / python.meanCalls(), ours.meanDelay() / python.meanDelay(),
                            ours.p95Delay() / python.p95Delay());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static ModelRequest request(String model) {
        if (model.equals("style-transfer")) {
            return ModelRequest.styleTransfer(new StyleTransferRequest().styleImage(IMAGE));
        }
        return ModelRequest.materialTransfer(new MaterialTransferRequest().materialImage(IMAGE).subjectImage(IMAGE));
    }

    /** Log-normal durations, in seconds, with median {@code typical}. */
    static double[] durations(int jobs, Duration typical, double spread, Random random) {
        double median = typical.toNanos() / 1e9;
        double[] d = new double[jobs];
        for (int i = 0; i < jobs; i++) {
            d[i] = median * Math.exp(spread * random.nextGaussian());
        }
        return d;
    }

    /** Splits the jobs over the threads; each thread has its own clock, tenant and client. */
    private static Outcome run(FakeSegmindServer fake, ExecutorService pool, int threads, ModelRequest request, PollingPolicy policy,
            double[] durations) throws Exception {
        int[] calls = new int[durations.length];
        double[] delays = new double[durations.length];
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            parts.add(pool.submit(() -> {
                runPart(fake, request, policy, durations, first, threads, calls, delays);
                return null;
            }));
        }
        for (Future<?> part : parts) {
            part.get();
        }
        return new Outcome(calls, delays);
    }

    private static void runPart(FakeSegmindServer fake, ModelRequest request, PollingPolicy policy, double[] durations, int first,
            int step, int[] calls, double[] delays) {
        ManualClock clock = new ManualClock();
        Tenant tenant = fake.newTenant(clock);
        try (SegmindClient client = SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(fake.baseUrl().toString())
                .timeSource(clock).pollingPolicy(policy).build()) {
            for (int i = first; i < durations.length; i += step) {
                Duration processing = Duration.ofNanos((long) (durations[i] * 1e9));
                tenant.scriptNext(request.model(), JobScript.completes().queuedFor(Duration.ZERO).processingFor(processing));
                Instant submitted = clock.now();
                Job job = client.submit(request);
                InferenceResult result = job.await();
                Instant completed = submitted.plus(processing);
                delays[i] = Duration.between(completed, clock.now()).toNanos() / 1e9;
                calls[i] = tenant.journal().polls(result.requestId()).size();
            }
        }
    }

    private static void print(String model, String policy, Outcome o) {
        System.out.printf(Locale.ROOT, "%-18s %-8s %12.2f %11.3fs %11.3fs%n", model, policy, o.meanCalls(), o.meanDelay(), o.p95Delay());
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(arg(args, name, String.valueOf(fallback)));
    }
}
