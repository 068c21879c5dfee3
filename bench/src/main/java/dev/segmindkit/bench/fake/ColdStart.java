package dev.segmindkit.bench.fake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold start of the testkit's fake against WireMock 3, each in a fresh JVM: {@code
 * java -cp benchmarks.jar dev.segmindkit.bench.fake.ColdStart [rounds]} launches {@code rounds}
 * (default 10) pairs of child processes, alternating the order (fake first, then WireMock first)
 * so drift on a shared machine hits both alike, and prints medians and the ratio fake / WireMock
 * (the goal: at most 0.1).
 *
 * <p>Each child times, from its {@code main}, (1) construct and start until the port listens,
 * and (2) on to the first answered status poll: for the fake, a tenant, a job submitted through
 * the API and moved into PROCESSING (the fake's way of setting up what WireMock needs a stub for);
 * for WireMock, the equivalent stubs; then one {@code GET /v2/requests/{id}/status} on a new
 * connection answered 200 with the PROCESSING body. The parent also times the whole process,
 * spawn to exit (JVM boot and shutdown included, the same for both).
 */
public final class ColdStart {
    private static final String CHILD = "--child";

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals(CHILD)) {
            child(args[1]);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        samples.put(StatusServer.FAKE, new ArrayList<>());
        samples.put(StatusServer.WIREMOCK, new ArrayList<>());
        launch(StatusServer.FAKE);
        launch(StatusServer.WIREMOCK); // one unmeasured pair: page cache and CDS archive warm for both
        for (int i = 0; i < rounds; i++) {
            List<String> order = i % 2 == 0 ? List.of(StatusServer.FAKE, StatusServer.WIREMOCK) : List.of(StatusServer.WIREMOCK, StatusServer.FAKE);
            for (String server : order) {
                samples.get(server).add(launch(server));
            }
        }
        System.out.println("Cold start in fresh JVMs, " + rounds + " runs each, medians (min..max) ("
                + System.getProperty("java.vm.name") + " " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores)");
        String[] what = {"construct + start (listening), ms", "... + job/stub + first status answer, ms", "whole process, spawn to exit, ms",
            "classes loaded by the first answer"};
        for (int k = 0; k < what.length; k++) {
            double fake = median(samples.get(StatusServer.FAKE), k);
            double wiremock = median(samples.get(StatusServer.WIREMOCK), k);
            System.out.println(String.format(Locale.ROOT, "  %-44s fake %8.1f (%s)   wiremock %8.1f (%s)   ratio %.3f%s", what[k], fake,
                    range(samples.get(StatusServer.FAKE), k), wiremock, range(samples.get(StatusServer.WIREMOCK), k), fake / wiremock,
                    k == 1 ? " (goal <= 0.1)" : ""));
        }
    }

    /** Runs one child and returns its three times in ms. */
    private static double[] launch(String server) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ColdStart.class.getName(), CHILD, server);
        pb.redirectErrorStream(true);
        long spawned = System.nanoTime();
        Process p = pb.start();
        String result = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                all.append(line).append('\n');
                if (line.startsWith("COLD ")) {
                    result = line;
                }
            }
        }
        int exit = p.waitFor();
        double whole = (System.nanoTime() - spawned) / 1e6;
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the " + server + " child failed (exit " + exit + "):\n" + all);
        }
        String[] parts = result.split(" ");
        return new double[] {Double.parseDouble(parts[2]), Double.parseDouble(parts[3]), whole, Double.parseDouble(parts[4])};
    }

    private static void child(String server) throws IOException {
        long t0 = System.nanoTime();
        StatusServer running = StatusServer.start(server);
        double listening = (running.listeningAt - t0) / 1e6;
        try (KeepAliveConnection c = new KeepAliveConnection(running.port())) {
            KeepAliveConnection.Answer answer = c.exchange(KeepAliveConnection.get(running.port(), running.statusPath(), StatusServer.headerLines()));
            double answered = (System.nanoTime() - t0) / 1e6;
            String expected = StatusServer.processingBody(running.port(), running.jobId());
            if (answer.status != 200 || !answer.text().equals(expected)) {
                throw new IllegalStateException(server + " answered " + answer.status + " " + answer.text() + ", not " + expected);
            }
            // A count that noise cannot move: every class the JVM loaded up to the first answer (plus
            // the few the management API needs to tell), the same JVM boot and harness for both.
            long classes = java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
            System.out.println(String.format(Locale.ROOT, "COLD %s %.3f %.3f %d", server, listening, answered, classes));
        } finally {
            running.close();
        }
        System.exit(0);
    }

    private static double median(List<double[]> runs, int k) {
        double[] v = runs.stream().mapToDouble(r -> r[k]).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String range(List<double[]> runs, int k) {
        double[] v = runs.stream().mapToDouble(r -> r[k]).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f..%.0f", v[0], v[v.length - 1]);
    }
}
