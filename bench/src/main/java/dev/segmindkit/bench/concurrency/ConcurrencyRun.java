package dev.segmindkit.bench.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the concurrency benchmark in this JVM: one {@link Variant}, N jobs at once against a
 * fake in another process (so this process's CPU time is the client's). {@link
 * ConcurrencyBenchmark} starts one such JVM per variant and N; run it alone with
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.segmindkit.bench.concurrency.ConcurrencyRun \
 *     --base http://127.0.0.1:PORT --variant reactive --jobs 1000 [--processing 3s] [--pool 200] [--cap 300s]
 * </pre>
 *
 * <p>What it does: a warm-up of {@code --warmup} jobs that end at once (loads and compiles the
 * client's code), then a baseline (heap after a full GC, peak thread count reset, process CPU
 * time), then N jobs submitted at once, each processing {@code --processing} in the fake. When the
 * service has accepted every job (or, for the platform pool, its first {@code --pool} jobs) the heap
 * is measured again after a full GC, whose own CPU time is left out of the figures. It prints one
 * {@code RESULT key=value ...} line.
 */
public final class ConcurrencyRun {
    private ConcurrencyRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        URI base = URI.create(Options.required(options, "base"));
        Variant variant = Variant.valueOf(Options.required(options, "variant").toUpperCase(Locale.ROOT));
        int jobs = Integer.parseInt(Options.required(options, "jobs"));
        Duration processing = Options.duration(options.getOrDefault("processing", "3s"));
        int pool = Integer.parseInt(options.getOrDefault("pool", "200"));
        Duration cap = Options.duration(options.getOrDefault("cap", "300s"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "200"));
        ProcessHandle fakeProcess = options.containsKey("fake-pid") ? ProcessHandle.of(Long.parseLong(options.get("fake-pid"))).orElse(null) : null;

        ExternalFake fake = ExternalFake.connect(base);
        warmUp(fake, variant, warmup, pool);

        String key = fake.newTenant("{\"credits\": 1e12, \"timeline\": {\"queued\": \"0s\", \"processing\": \"" + processing.toMillis() + "ms\"}}");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        memory.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        threads.resetPeakThreadCount();
        Tally tally = new Tally(jobs);
        long cpuStart = Cpu.processNanos();
        long fakeCpuStart = fakeCpuNanos(fakeProcess);
        long start = System.nanoTime();
        Variant.Launch launch = variant.launch(base.toString(), key, jobs, pool, tally);

        int target = variant == Variant.PLATFORM ? Math.min(pool, jobs) : jobs;
        long deadline = start + cap.toNanos();
        while (tally.submitsSettled() < target && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long acceptedAt = System.nanoTime() - start;
        int inFlightBefore = tally.inFlight();
        long gcCpu = Cpu.processNanos();
        memory.gc();
        long heapLoaded = memory.getHeapMemoryUsage().getUsed();
        gcCpu = Cpu.processNanos() - gcCpu;
        int inFlight = Math.min(inFlightBefore, tally.inFlight());
        int liveThreadsLoaded = threads.getThreadCount();

        boolean all = tally.awaitAll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        long wall = System.nanoTime() - start;
        long cpu = Cpu.processNanos() - cpuStart - gcCpu;
        long fakeCpu = fakeCpuNanos(fakeProcess) - fakeCpuStart;
        int peakThreads = threads.getPeakThreadCount();
        launch.stop();

        JsonNode counts = fake.journalCounts(key);
        int polls = counts.path("phases").path("STATUS").asInt();
        int submits = counts.path("phases").path("SUBMIT").asInt();
        int results = counts.path("phases").path("RESULT").asInt();
        int non200 = counts.path("requests").asInt() - counts.path("http_statuses").path("200").asInt();
        fake.revoke(key);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("variant", variant.name().toLowerCase(Locale.ROOT));
        r.put("jobs", jobs);
        r.put("pool", variant == Variant.PLATFORM ? pool : 0);
        r.put("jdk", Runtime.version().feature());
        r.put("processing_s", processing.toMillis() / 1000.0);
        r.put("completed", tally.finishedCount() - tally.errors());
        r.put("errors", tally.errors() + (jobs - tally.finishedCount()));
        r.put("capped", !all);
        r.put("wall_s", round(wall / 1e9, 2));
        r.put("accepted_s", round(acceptedAt / 1e9, 2));
        r.put("wall_over_job", round(wall / (double) processing.toNanos(), 2));
        r.put("peak_platform_threads", peakThreads);
        r.put("threads_at_sample", liveThreadsLoaded);
        r.put("in_flight_at_sample", inFlight);
        r.put("heap_per_job_kb", inFlight == 0 ? 0 : round((heapLoaded - heapBefore) / 1024.0 / inFlight, 2));
        r.put("cpu_s", round(cpu / 1e9, 2));
        r.put("fake_cpu_s", fakeProcess == null ? "n/a" : String.valueOf(round(fakeCpu / 1e9, 2)));
        r.put("cpu_per_poll_us", polls == 0 ? 0 : round(cpu / 1e3 / polls, 1));
        r.put("cpu_per_job_us", round(cpu / 1e3 / jobs, 1));
        r.put("polls", polls);
        r.put("polls_per_job", round(polls / (double) jobs, 2));
        r.put("submits", submits);
        r.put("results", results);
        r.put("non_200", non200);
        StringBuilder line = new StringBuilder("RESULT");
        r.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        for (Throwable e : tally.firstErrors()) {
            System.out.println("ERROR " + e);
        }
        System.exit(0);
    }

    /** Jobs that end at once, run the same way, so that the measured run finds the client's code loaded and compiled. */
    private static void warmUp(ExternalFake fake, Variant variant, int jobs, int pool) throws InterruptedException {
        if (jobs == 0) {
            return;
        }
        String key = fake.newTenant("{\"credits\": 1e12, \"timeline\": {\"queued\": \"0s\", \"processing\": \"0s\"}}");
        Tally tally = new Tally(jobs);
        Variant.Launch launch = variant.launch(fake.baseUrl().toString(), key, jobs, pool, tally);
        tally.awaitAll(120_000);
        launch.stop();
        fake.revoke(key);
        if (tally.errors() > 0) {
            System.out.println("WARMUP-ERRORS " + tally.errors() + " first: " + tally.firstErrors());
        }
    }

    /** The fake's CPU time so far, when its process is known (the benchmark passes its pid), else 0. */
    private static long fakeCpuNanos(ProcessHandle fake) {
        return fake == null ? 0 : fake.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
