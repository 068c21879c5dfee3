package dev.segmindkit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code segmind} alone: the list of commands, on stderr, as a usage error. */
@Command(name = "segmind", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpAutoWidth = true,
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n", commandListHeading = "%nCommands:%n",
        description = {"Run Segmind models from the command line.",
            "Uses the real API when SEGMIND_API_KEY is set; without it (or with --fake) an embedded fake server, so every command works on a"
                + " machine with no key. Run segmind COMMAND --help for a command's options."},
        footerHeading = "%nEnvironment:%n",
        footer = {"  SEGMIND_API_KEY   your API key (never printed); unset: the embedded fake",
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
