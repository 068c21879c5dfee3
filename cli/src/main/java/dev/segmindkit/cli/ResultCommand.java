package dev.segmindkit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segmind result ID [--wait]}: a job's result, from any process, within the service's one-hour retention. */
@Command(name = "result", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        usageHelpAutoWidth = true, synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = {"Fetch a job's result by its request id, and save or print it like the command that submitted it.",
            "Without --wait, a job not finished yet ends with exit code 6; with --wait, it is waited for (resuming a job left by --no-wait, Ctrl-C or a timeout)."})
final class ResultCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(index = "0", paramLabel = "ID", description = "The job's request id.")
    String requestId;

    @Option(names = "--wait", order = 1, description = "Wait for the job to finish, with a progress line.")
    boolean wait;

    @Mixin
    OutputOptions output;

    @Mixin
    TargetOptions target;

    ResultCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        return new JobRunner(ctx, target, output).resume(requestId, wait);
    }
}
