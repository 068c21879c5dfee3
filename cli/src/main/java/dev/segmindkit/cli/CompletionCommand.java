package dev.segmindkit.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code segmind completion bash|zsh}: the shell completion script on stdout, made by picocli
 * from the command tree itself, so every command and option (each model's spec-made parameters,
 * with their allowed values) completes. One script serves both shells: in zsh it loads zsh's
 * bash-completion layer ({@code bashcompinit}) first.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpAutoWidth = true,
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = {"Print the shell completion script for segmind.",
            "bash: add  source <(segmind completion bash)  to ~/.bashrc.",
            "zsh: add  source <(segmind completion zsh)  to ~/.zshrc."})
final class CompletionCommand implements Callable<Integer> {
    /** The shells the script is made for; lower case, as picocli matches and completes the constants' names as typed. */
    enum Shell { bash, zsh }

    private final Context ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    CompletionCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String script = AutoComplete.bash("segmind", spec.root().commandLine());
        if (shell == Shell.zsh) {
            // picocli's script checks $ZSH_VERSION and loads compinit and bashcompinit itself.
            script = "# segmind completion for zsh: source <(segmind completion zsh)\n" + script;
        }
        ctx.out().print(script);
        ctx.out().flush();
        return ExitCode.OK;
    }
}
