package dev.segmindkit.bench.streaming;

import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.reactive.ReactiveSegmindClient;
import dev.segmindkit.sync.SegmindClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak heap growth while a v1 image (20 MB by default) is written to a file by each client, with
 * the in-memory variant (bytes) measured in the same run as the baseline: {@code
 * java -cp benchmarks.jar dev.segmindkit.bench.streaming.StreamingHeap [megabytes]}.
 *
 * <p>The fake runs in its own process ({@link ImageServer}), so only the client's heap is measured.
 * Each mode runs in a fresh JVM ({@code -Xmx256m}, default GC): two unmeasured runs (classes,
 * connection pools), then a full GC, a reset of every heap pool's peak, and one measured run. It
 * reports, as growth over the post-GC baseline: the sum of the heap pools' peaks (an upper bound:
 * garbage included), the highest heap occupancy right after any GC during the run (live data, when
 * a GC happened), and what is still reachable after a final GC with the result held. Then, as the
 * proof that does not depend on GC timing, it finds for each mode the smallest {@code -Xmx} among
 * 8, 12, 16, 24, 32, 48, 64 and 96 MB with which the run completes.
 */
public final class StreamingHeap {
    private static final String MEASURE = "--measure";
    private static final List<String> MODES = List.of("sync-bytes", "sync-file", "reactive-bytes", "reactive-file");
    private static final int[] HEAPS_MB = {8, 12, 16, 24, 32, 48, 64, 96};
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    private StreamingHeap() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(MEASURE)) {
            measure(args[1], args[2], args[3], Path.of(args[4]), Integer.parseInt(args[5]));
            return;
        }
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Process server = new ProcessBuilder(java(), "-Xmx" + (4 * megabytes + 64) + "m", "-cp", System.getProperty("java.class.path"),
                ImageServer.class.getName(), String.valueOf(megabytes)).redirectErrorStream(true).start();
        Path dir = Files.createTempDirectory("segmindkit-streaming-");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException("the image server did not start: " + ready);
            }
            String[] r = ready.split(" ");
            String baseUrl = r[1];
            String key = r[2];
            long size = Long.parseLong(r[3]);
            System.out.println("Peak heap growth while a " + megabytes + " MB v1 image is fetched, per client (" + System.getProperty("java.vm.name")
                    + " " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores); fake in another process");
            System.out.println(String.format(Locale.ROOT, "  %-15s %20s %22s %22s", "mode (-Xmx256m)", "peak growth (pools)", "max live after a GC",
                    "retained, result held"));
            Map<String, Map<String, Double>> results = new LinkedHashMap<>();
            for (String mode : MODES) {
                Map<String, Double> m = child(mode, baseUrl, key, dir, 2, "-Xmx256m");
                results.put(mode, m);
                System.out.println(String.format(Locale.ROOT, "  %-15s %20s %22s %22s", mode, share(m.get("peak"), size),
                        m.get("gcs") > 0 ? share(m.get("afterGc"), size) : "(no GC)", share(m.get("retained"), size)));
            }
            for (String client : List.of("sync", "reactive")) {
                double file = results.get(client + "-file").get("peak");
                double bytes = results.get(client + "-bytes").get("peak");
                System.out.println(String.format(Locale.ROOT, "  %s: file / bytes peak growth = %.3f", client, file / bytes));
            }
            System.out.println("  smallest -Xmx that completes the run (tried " + java.util.Arrays.stream(HEAPS_MB).mapToObj(h -> h + "m")
                    .collect(Collectors.joining(", ")) + "):");
            for (String mode : MODES) {
                String smallest = "none";
                for (int heap : HEAPS_MB) {
                    if (child(mode, baseUrl, key, dir, 1, "-Xmx" + heap + "m") != null) {
                        smallest = heap + "m (" + String.format(Locale.ROOT, "%.2f", heap * 1024.0 * 1024.0 / size) + " x the image)";
                        break;
                    }
                }
                System.out.println(String.format(Locale.ROOT, "    %-15s %s", mode, smallest));
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroy();
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static String share(double bytes, long size) {
        return String.format(Locale.ROOT, "%6.1f MB = %.3f x", bytes / (1024 * 1024), bytes / size);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Runs one measuring JVM; its figures, or null if it failed (out of memory with a small heap)
     * or hung (an out-of-memory error on an event loop can leave the caller waiting for ever).
     */
    private static Map<String, Double> child(String mode, String baseUrl, String key, Path dir, int warmups, String heap)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, mode, ".log");
        try {
            Process p = new ProcessBuilder(java(), heap, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                    StreamingHeap.class.getName(), MEASURE, mode, baseUrl, key, dir.toString(), String.valueOf(warmups))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(CHILD_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String result = lines.stream().filter(l -> l.startsWith("HEAP ")).findFirst().orElse(null);
            if (!ended || p.exitValue() != 0 || result == null) {
                if (heap.equals("-Xmx256m")) {
                    throw new IllegalStateException(mode + " failed (" + (ended ? "exit " + p.exitValue() : "hung") + "):\n" + String.join("\n", lines));
                }
                return null;
            }
            Map<String, Double> figures = new LinkedHashMap<>();
            for (String pair : result.substring(5).split(" ")) {
                String[] kv = pair.split("=");
                figures.put(kv[0], Double.parseDouble(kv[1]));
            }
            return figures;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    // ---- the measuring JVM ----

    private static void measure(String mode, String baseUrl, String key, Path dir, int warmups) throws Exception {
        ModelRequest request = ModelRequest.styleTransfer(new StyleTransferRequest().styleImage("https://example.com/style.png").seed(7L));
        Path target = dir.resolve(mode + "-" + ProcessHandle.current().pid() + ".png");
        try (SegmindClient sync = mode.startsWith("sync") ? SegmindClient.builder().apiKey(key).baseUrl(baseUrl).build() : null;
                ReactiveSegmindClient reactive = mode.startsWith("reactive") ? ReactiveSegmindClient.builder().apiKey(key).baseUrl(baseUrl).build()
                        : null) {
            Run run;
            switch (mode) {
                case "sync-bytes":
                    run = () -> sync.runSync(request);
                    break;
                case "sync-file":
                    run = () -> sync.runSync(request, target);
                    break;
                case "reactive-bytes":
                    run = () -> reactive.runSync(request).block();
                    break;
                case "reactive-file":
                    run = () -> reactive.runSync(request, target).block();
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode " + mode);
            }
            for (int i = 0; i < warmups; i++) {
                check(run.once(), target);
            }
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(b -> b.getType() == MemoryType.HEAP)
                    .collect(Collectors.toList());
            AtomicLong maxAfterGc = new AtomicLong();
            AtomicLong gcs = new AtomicLong();
            List<NotificationEmitter> emitters = new ArrayList<>();
            javax.management.NotificationListener listener = (n, h) -> {
                if (!"com.sun.management.gc.notification".equals(n.getType())) {
                    return;
                }
                CompositeData info = (CompositeData) ((CompositeData) n.getUserData()).get("gcInfo");
                long after = 0;
                for (Object v : ((javax.management.openmbean.TabularData) info.get("memoryUsageAfterGc")).values()) {
                    CompositeData entry = (CompositeData) v;
                    String pool = (String) entry.get("key");
                    if (pools.stream().anyMatch(b -> b.getName().equals(pool))) {
                        after += MemoryUsage.from((CompositeData) entry.get("value")).getUsed();
                    }
                }
                gcs.incrementAndGet();
                maxAfterGc.accumulateAndGet(after, Math::max);
            };
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
                emitters.add((NotificationEmitter) gc);
            }
            long baseline = settledHeap(pools);
            gcs.set(0);
            maxAfterGc.set(0);
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            Object result = run.once();
            long peak = pools.stream().mapToLong(b -> b.getPeakUsage().getUsed()).sum();
            long gcsDuring = gcs.get();
            long liveAfterGc = maxAfterGc.get();
            for (NotificationEmitter e : emitters) {
                e.removeNotificationListener(listener);
            }
            long retained = settledHeap(pools);
            check(result, target);
            System.out.println(String.format(Locale.ROOT, "HEAP peak=%d afterGc=%d gcs=%d retained=%d", peak - baseline,
                    Math.max(0, liveAfterGc - baseline), gcsDuring, retained - baseline));
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /** One fetch; returns what the client gave back, which the caller keeps reachable. */
    private interface Run {
        Object once() throws Exception;
    }

    /** Heap in use after full GCs, once it stops shrinking. */
    private static long settledHeap(List<MemoryPoolMXBean> pools) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = pools.stream().mapToLong(b -> b.getUsage().getUsed()).sum();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }

    /** The fetch really happened: the bytes are there, or the file has them all. */
    private static void check(Object result, Path target) throws IOException {
        long size;
        if (result instanceof SyncImage) {
            size = ((SyncImage) result).bytes().length;
        } else {
            size = ((SyncResponse) result).size();
            if (Files.size(target) != size) {
                throw new IllegalStateException("the file has " + Files.size(target) + " bytes, the response announced " + size);
            }
        }
        if (size < 1024 * 1024) {
            throw new IllegalStateException("only " + size + " bytes arrived");
        }
    }
}
