package dev.segmindkit.bench.concurrency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 1 of issue 7: many jobs in flight at once, on the reactive client, the blocking client
 * on virtual threads, and the blocking client on a bounded pool of platform threads.
 *
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp bench/target/benchmarks.jar \
 *     dev.segmindkit.bench.concurrency.ConcurrencyBenchmark [--jobs 1000,10000] \
 *     [--variants reactive,virtual,platform] [--processing 3s] [--pool 200] [--cap 300s]
 * </pre>
 *
 * <p>Starts the testkit's standalone fake in its own process, then one fresh JVM ({@link
 * ConcurrencyRun}) per variant and job count, one after the other, so that each run's threads,
 * heap and CPU time are its own. Prints each run's {@code RESULT} line and then a Markdown table.
 * Run from the repository root (the fake's jar is found under {@code testkit/target}).
 */
public final class ConcurrencyBenchmark {
    private ConcurrencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        String[] jobCounts = options.getOrDefault("jobs", "1000,10000").split(",");
        String[] variants = options.getOrDefault("variants", "reactive,virtual,platform").split(",");
        String java = ProcessHandle.current().info().command().orElse("java");
        System.out.println("JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + ' ' + System.getProperty("os.arch"));
        List<Map<String, String>> results = new ArrayList<>();
        try (ExternalFake fake = ExternalFake.start(List.of("-Xmx2g", "-Xss256k"))) {
            System.out.println("fake at " + fake.baseUrl());
            for (String jobs : jobCounts) {
                for (String variant : variants) {
                    List<String> command = new ArrayList<>(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                            ConcurrencyRun.class.getName(), "--base", fake.baseUrl().toString(), "--variant", variant, "--jobs", jobs.trim()));
                    fake.pid().ifPresent(pid -> command.addAll(List.of("--fake-pid", String.valueOf(pid))));
                    for (String passed : new String[] {"processing", "pool", "cap", "warmup"}) {
                        if (options.containsKey(passed)) {
                            command.add("--" + passed);
                            command.add(options.get(passed));
                        }
                    }
                    Map<String, String> result = runChild(command);
                    if (result != null) {
                        results.add(result);
                    }
                }
            }
        }
        printTable(results);
    }

    private static Map<String, String> runChild(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println(line);
                if (line.startsWith("RESULT ")) {
                    result = new LinkedHashMap<>();
                    for (String pair : line.substring(7).split(" ")) {
                        int eq = pair.indexOf('=');
                        result.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
        }
        int exit = child.waitFor();
        if (exit != 0 || result == null) {
            System.out.println("run failed (exit " + exit + "): " + String.join(" ", command));
        }
        return result;
    }

    private static void printTable(List<Map<String, String>> results) {
        System.out.println();
        System.out.println("| client | jobs | wall / job duration | peak platform threads | heap per in-flight job (KB) [in flight] "
                + "| CPU per status poll (µs) | polls per job | CPU per job (µs) | fake's CPU (s) | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Map<String, String> r : results) {
            String client = r.get("variant").equals("platform") ? "blocking, " + r.get("pool") + " platform threads"
                    : r.get("variant").equals("virtual") ? "blocking, virtual threads" : "reactive";
            System.out.println("| " + client + " | " + r.get("jobs") + " | " + r.get("wall_over_job") + (r.get("capped").equals("true") ? " (capped)" : "")
                    + " | " + r.get("peak_platform_threads") + " | " + r.get("heap_per_job_kb") + " [" + r.get("in_flight_at_sample") + "] | "
                    + r.get("cpu_per_poll_us") + " | " + r.get("polls_per_job") + " | " + r.get("cpu_per_job_us") + " | " + r.get("fake_cpu_s") + " | " + r.get("errors")
                    + (r.get("non_200").equals("0") ? "" : " (" + r.get("non_200") + " non-200 answers)") + " |");
        }
    }
}
