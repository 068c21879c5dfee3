package dev.segmindkit.cli;

import dev.segmindkit.core.CreditBalance;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segmind credits}: the account's credit balance. */
@Command(name = "credits", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        usageHelpAutoWidth = true, synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = "Print the account's credits: paid, then free.")
final class CreditsCommand implements Callable<Integer> {
    private final Context ctx;

    @Option(names = "--json", description = "Print the balance as one line of JSON.")
    boolean json;

    @Mixin
    TargetOptions target;

    CreditsCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (Target t = Target.open(ctx, target, update -> { }, java.time.Duration.ofSeconds(60), null, new Progress(ctx.err(), false, false, ctx.time(), ctx::terminalWidth))) {
            CreditBalance balance = t.client.credits();
            if (json) {
                ctx.out().println(JsonOut.line(JsonOut.object().put("credits", balance.credits()).put("free_credits", balance.freeCredits()).put("fake", t.isEmbedded())));
            } else {
                ctx.out().println("credits: " + Failures.number(balance.credits()));
                ctx.out().println("free credits: " + Failures.number(balance.freeCredits()));
            }
            ctx.out().flush();
            return ExitCode.OK;
        }
    }
}
