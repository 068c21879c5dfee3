package dev.segmindkit.bench.overhead;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.bench.concurrency.ExternalFake;
import dev.segmindkit.bench.concurrency.Options;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 2 of issue 7: the CPU time one whole job costs through the SDK (submit, poll until
 * COMPLETED, fetch) against a minimal hand-written loop making the same calls on the same
 * transport: {@code java.net.http} for {@code SegmindClient}, Reactor Netty for {@code
 * ReactiveSegmindClient}. Goal: SDK / baseline at most 1.10.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.segmindkit.bench.overhead.OverheadBenchmark \
 *     [--clients blocking,reactive] [--polls 1,3] [--rounds 15] [--jobs 1000] [--warmup 3000] [--base URL]
 * </pre>
 *
 * <p><b>Method.</b> The fake runs in its own process (started here unless {@code --base} names a
 * running one), so this process's costs are the client's, read three ways by {@link Meter}: the
 * CPU time of its Java threads (the headline: to the nanosecond, and blind to JIT compiler and GC
 * threads, whose work on a loaded shared machine blurs everything else), the process's CPU time
 * ({@code OperatingSystemMXBean#getProcessCpuTime}: every thread, in 10 ms ticks), and the bytes
 * allocated. The number of polls per job is deterministic: the
 * tenant has its own clock, moved on by 1 s at each status poll, and a job takes {@code polls -
 * 0.5} s, so it is COMPLETED at exactly the {@code polls}-th poll; both sides poll at once and then
 * every 1 ms ({@code PollingPolicy.fixed(1ms)}). Jobs run one after the other on this thread. After
 * a warm-up of {@code --warmup} jobs per side, {@code --rounds} rounds each run {@code --jobs} jobs
 * per side, the order of the sides alternating from round to round; each round gives one ratio per
 * measure, and the median ratio is the figure. The fake's journal is checked to hold exactly
 * the expected number of polls.
 */
public final class OverheadBenchmark {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(1);

    private OverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        List<String> clients = Arrays.asList(options.getOrDefault("clients", "blocking,reactive").split(","));
        int[] pollCounts = Arrays.stream(options.getOrDefault("polls", "1,3").split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "15"));
        int jobs = Integer.parseInt(options.getOrDefault("jobs", "1000"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "3000"));
        System.out.println("JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " cores; " + rounds + " rounds of " + jobs + " jobs per side after "
                + warmup + " warm-up jobs per side");
        List<String> table = new ArrayList<>();
        try (ExternalFake fake = options.containsKey("base") ? ExternalFake.connect(URI.create(options.get("base")))
                : ExternalFake.start(List.of("-Xmx1g"))) {
            for (String client : clients) {
                for (int polls : pollCounts) {
                    table.add(measure(fake, client.trim().toLowerCase(Locale.ROOT), polls, rounds, jobs, warmup));
                }
            }
        }
        System.out.println();
        System.out.println("| client | polls per job | Java threads' CPU per job, SDK / baseline (µs) | ratio, median (range) "
                + "| process CPU per job, SDK / baseline (µs) | ratio, median (range) | allocated per job, SDK / baseline (KB) | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    private static String measure(ExternalFake fake, String client, int polls, int rounds, int jobs, int warmup) {
        String key = fake.newTenant("{\"own_clock\": true, \"auto_advance\": \"1s\", \"credits\": 1e12, "
                + "\"timeline\": {\"queued\": \"0s\", \"processing\": \"" + (polls * 1000 - 500) + "ms\"}}");
        String base = fake.baseUrl().toString();
        try (JobLoop sdk = client.equals("reactive") ? new SdkReactiveLoop(base, key, POLL_INTERVAL) : new SdkBlockingLoop(base, key, POLL_INTERVAL);
                JobLoop baseline = client.equals("reactive") ? new HandWrittenReactiveLoop(base, key, POLL_INTERVAL)
                        : new HandWrittenBlockingLoop(base, key, POLL_INTERVAL)) {
            for (int done = 0; done < warmup; done += 250) {
                run(sdk, Math.min(250, warmup - done));
                run(baseline, Math.min(250, warmup - done));
            }
            double[][] sdkCost = new double[3][rounds];
            double[][] baseCost = new double[3][rounds];
            double[][] ratios = new double[3][rounds];
            for (int r = 0; r < rounds; r++) {
                double[] s;
                double[] b;
                if (r % 2 == 0) {
                    s = run(sdk, jobs);
                    b = run(baseline, jobs);
                } else {
                    b = run(baseline, jobs);
                    s = run(sdk, jobs);
                }
                for (int m = 0; m < 3; m++) {
                    sdkCost[m][r] = s[m];
                    baseCost[m][r] = b[m];
                    ratios[m][r] = s[m] / b[m];
                }
                System.out.printf(Locale.ROOT, "%s polls=%d round %d: thread CPU SDK %.1f / baseline %.1f µs/job (%.3f); process CPU %.1f / %.1f"
                        + " µs/job (%.3f); allocated %.1f / %.1f KB/job (%.3f)%n", client, polls, r + 1, s[1], b[1], ratios[1][r], s[0], b[0],
                        ratios[0][r], s[2], b[2], ratios[2][r]);
            }
            JsonNode counts = fake.journalCounts(key);
            long total = 2L * (warmup + (long) rounds * jobs);
            int statusPolls = counts.path("phases").path("STATUS").asInt();
            int ok = counts.path("http_statuses").path("200").asInt();
            if (statusPolls != total * polls || ok != counts.path("requests").asInt()) {
                throw new IllegalStateException("the fake saw " + counts + " for " + total + " jobs of " + polls + " polls each");
            }
            fake.revoke(key);
            return String.format(Locale.ROOT, "| %s | %d | %.1f / %.1f | **%.3f** (%s) | %.1f / %.1f | %.3f (%s) | %.1f / %.1f | %.3f |", client, polls,
                    median(sdkCost[1]), median(baseCost[1]), median(ratios[1]), range(ratios[1]), median(sdkCost[0]), median(baseCost[0]),
                    median(ratios[0]), range(ratios[0]), median(sdkCost[2]), median(baseCost[2]), median(ratios[2]));
        }
    }

    /** Runs {@code jobs} jobs and answers per job: process CPU (µs), Java threads' CPU (µs), bytes allocated (KB). */
    private static double[] run(JobLoop loop, int jobs) {
        Meter before = Meter.read();
        int length = 0;
        for (int i = 0; i < jobs; i++) {
            length += loop.runJob().length();
        }
        long[] cost = Meter.read().since(before);
        if (length == 0) {
            throw new IllegalStateException("no outputs");
        }
        return new double[] {cost[0] / 1e3 / jobs, cost[1] / 1e3 / jobs, cost[2] / 1024.0 / jobs};
    }

    private static String range(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.2f .. %.2f", sorted[0], sorted[sorted.length - 1]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
