package dev.segmindkit.cli;

import dev.segmindkit.testkit.FakeServerOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code segmind fake-server}: the testkit's fake Segmind server, standalone, with its control API
 * under {@code /__fake}, until Ctrl-C. Prints the base URL and key to export, so the other
 * commands (or any client, in any language) can run against it. Its options are the standalone
 * jar's, read by the one parser both share ({@link FakeServerOptions}): picocli hands them over
 * unread.
 */
@Command(name = "fake-server", versionProvider = VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
        synopsisHeading = "%nUsage: ", customSynopsis = "segmind fake-server [options]", descriptionHeading = "%n",
        description = {"Run the testkit's fake Segmind server until Ctrl-C: the API on real time with short jobs, output images, uploads,"
            + " credits, and the control API under /__fake (scripts, faults, clock, journal).", "", "Options:"})
final class FakeServerCommand implements Callable<Integer> {
    /** The usage, the same for {@code fake-server --help} and {@code segmind help fake-server}: the shared parser's options. */
    static final String USAGE = String.join(System.lineSeparator(), "Usage: segmind fake-server [options]",
            "Run the testkit's fake Segmind server until Ctrl-C, with the control API under /__fake/.", FakeServerOptions.OPTIONS, "");

    private final Context ctx;

    @Unmatched
    List<String> args = new ArrayList<>();

    FakeServerCommand(Context ctx) {
        this.ctx = ctx;
    }

    /** The command for picocli, its usage help being {@link #USAGE} (the options are the shared parser's, unknown to picocli). */
    static picocli.CommandLine commandLine(Context ctx) {
        picocli.CommandLine line = new picocli.CommandLine(new FakeServerCommand(ctx));
        line.setHelpSectionKeys(List.of("usage"));
        line.getHelpSectionMap().put("usage", help -> USAGE);
        return line;
    }

    @Override
    public Integer call() {
        FakeServerOptions options;
        try {
            options = FakeServerOptions.parse(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        PrintWriter out = ctx.out();
        if (options.help()) {
            out.print(USAGE);
            out.flush();
            return ExitCode.OK;
        }
        try (FakeServerOptions.Running running = options.start()) {
            running.banner().forEach(out::println);
            out.println("Use it from another shell:");
            out.println("  export SEGMIND_BASE_URL=" + running.server().baseUrl());
            for (String key : running.apiKeys()) {
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
}
