package dev.segmindkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmindkit.core.StatusUpdate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segmind status ID}: a job's status, looked up once. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        usageHelpAutoWidth = true, synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = "Print a job's status (QUEUED, PROCESSING, COMPLETED or FAILED), looked up once. Jobs are kept for 1 hour after submission.")
final class StatusCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(index = "0", paramLabel = "ID", description = "The job's request id.")
    String requestId;

    @Option(names = "--json", description = "Print the status as one line of JSON.")
    boolean json;

    @Mixin
    TargetOptions target;

    StatusCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (Target t = Target.open(ctx, target, update -> { }, java.time.Duration.ofSeconds(60), null, new Progress(ctx.err(), false, false, ctx.time(), ctx::terminalWidth))) {
            StatusUpdate update = t.client.job(requestId).status();
            if (json) {
                ObjectNode o = JsonOut.object().put("request_id", update.requestId()).put("status", update.status().value());
                o.set("metrics", JsonOut.metrics(update.metrics()));
                o.put("fake", t.isEmbedded());
                ctx.out().println(JsonOut.line(o));
            } else {
                ctx.out().println(update.status().value());
            }
            ctx.out().flush();
            return ExitCode.OK;
        }
    }
}
