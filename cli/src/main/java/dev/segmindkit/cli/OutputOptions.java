package dev.segmindkit.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** What to do with a job's result, and how long to wait for it. Shared by the commands that fetch results. */
final class OutputOptions {
    /** What {@code --timeout} is when not given (the annotation's default value, as a Duration). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    @Option(names = "--out", paramLabel = "FILE|DIR", order = 100,
            description = "Save the output image(s): to FILE (its extension is corrected to the image's real format; several images are "
                    + "numbered FILE-1, FILE-2...), or into DIR (an existing directory, or a path ending in /). Without it, the output URLs are printed.")
    String out;

    @Option(names = "--json", order = 101, description = "Print the result as one line of JSON on stdout.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, order = 102, description = "No progress or notices on stderr; errors are still shown.")
    boolean quiet;

    @Option(names = "--timeout", paramLabel = "DURATION", order = 103, converter = DurationConverter.class, defaultValue = "600s",
            description = "How long to wait for the job (e.g. 90s, 10m). Default: ${DEFAULT-VALUE}. The job goes on after that; resume it with segmind result ID --wait.")
    Duration timeout;
}
