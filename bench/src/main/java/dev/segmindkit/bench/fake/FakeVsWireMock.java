package dev.segmindkit.bench.fake;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link StatusThroughput} for both servers in one JMH run and prints, per client, the
 * fake's throughput as a ratio of WireMock's (the goal: at least 3). Any JMH option may follow
 * on the command line ({@code -wi 1 -i 3}, {@code -t 8}, {@code -f 2} ...).
 */
public final class FakeVsWireMock {
    private FakeVsWireMock() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(StatusThroughput.class.getName() + "\\.").build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Map<String, double[]>> byClient = new LinkedHashMap<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            String client = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String server = r.getParams().getParam("server");
            byClient.computeIfAbsent(client, c -> new LinkedHashMap<>()).put(server,
                    new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        System.out.println();
        System.out.println("Status-endpoint throughput, fake vs WireMock 3, same run (" + System.getProperty("java.vm.name") + " "
                + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores)");
        for (Map.Entry<String, Map<String, double[]>> e : byClient.entrySet()) {
            double[] fake = e.getValue().get(StatusServer.FAKE);
            for (Map.Entry<String, double[]> other : e.getValue().entrySet()) {
                if (fake == null || other.getKey().equals(StatusServer.FAKE)) {
                    continue;
                }
                double[] baseline = other.getValue();
                System.out.println(String.format(Locale.ROOT,
                        "  client %-6s fake %,9.0f ± %,.0f ops/s   %-18s %,9.0f ± %,.0f ops/s   ratio %.2fx (goal >= 3x)",
                        e.getKey(), fake[0], fake[1], other.getKey(), baseline[0], baseline[1], fake[0] / baseline[0]));
            }
        }
    }
}
