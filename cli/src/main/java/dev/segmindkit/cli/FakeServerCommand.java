package dev.segmindkit.cli;

import dev.segmindkit.testkit.FakeSegmindServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segmind fake-server}: the testkit's fake Segmind server, standalone, with its control API
 * under {@code /__fake}, until Ctrl-C. Prints the base URL and key to export, so the other
 * commands (or any client, in any language) can run against it.
 */
@Command(name = "fake-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        usageHelpAutoWidth = true, synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = {"Run the testkit's fake Segmind server until Ctrl-C: the API on real time with short jobs, output images, uploads,"
            + " credits, and the control API under /__fake (scripts, faults, clock, journal)."})
final class FakeServerCommand implements Callable<Integer> {
    private final Context ctx;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to bind; 0.0.0.0 serves containers. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Accept this key (repeatable). Default: one random key, printed.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--queued", paramLabel = "DURATION", converter = DurationConverter.class, description = "How long jobs stay QUEUED (e.g. 2s).")
    Duration queued;

    @Option(names = "--processing", paramLabel = "DURATION", converter = DurationConverter.class, description = "How long jobs stay PROCESSING (e.g. 17s).")
    Duration processing;

    @Option(names = "--verbose", description = "On failure, print the stack trace.")
    boolean verbose;

    FakeServerCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        FakeSegmindServer.Builder builder = FakeSegmindServer.builder().port(port).bindAddress(address(host)).controlApi(true);
        if (queued != null || processing != null) {
            builder.timeline(queued != null ? queued : Duration.ofMillis(50), processing != null ? processing : Duration.ofMillis(150));
        }
        try (FakeSegmindServer server = builder.start()) {
            List<String> accepted = new ArrayList<>();
            if (keys.isEmpty()) {
                accepted.add(server.newTenant().apiKey());
            } else {
                keys.forEach(k -> accepted.add(server.newTenant(k).apiKey()));
            }
            PrintWriter out = ctx.out();
            out.println("segmind fake server listening on " + server.baseUrl() + " (control API: " + server.baseUrl()
                    + FakeSegmindServer.CONTROL_PREFIX + "/)");
            out.println("Use it from another shell:");
            out.println("  export SEGMIND_BASE_URL=" + server.baseUrl());
            for (String key : accepted) {
                out.println("  export SEGMIND_API_KEY=" + key);
            }
            out.println("Press Ctrl-C to stop.");
            out.flush();
            try {
                // Ctrl-C (SegmindCli.cancel) interrupts this thread; nothing else ends the wait.
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.interrupted();
            }
            ctx.err().println("segmind: fake server stopped");
            ctx.err().flush();
            return ExitCode.OK;
        }
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw CliException.usage("--host " + host + ": unknown host");
        }
    }
}
