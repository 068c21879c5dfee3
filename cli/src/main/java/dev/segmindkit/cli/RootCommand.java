package dev.segmindkit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code segmind} alone: the list of commands, on stderr, as a usage error. */
@Command(name = "segmind", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpAutoWidth = true,
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n", commandListHeading = "%nCommands:%n",
        description = {"Run Segmind models from the command line.",
            "Uses the real API when SEGMIND_API_KEY is set, and an embedded fake server with --fake (no key needed, nothing billed)."
                + " Without a key, a terminal gets the fake under a banner; a script (no terminal, or -q) fails with exit code " + ExitCode.NO_KEY + "."
                + " Run segmind help COMMAND for a command's options."},
        footerHeading = "%nEnvironment:%n",
        footer = {"  SEGMIND_API_KEY   your API key (never printed); unset: see above",
            "  SEGMIND_BASE_URL  the API (default https://api.segmind.com), or a fake-server"})
final class RootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
