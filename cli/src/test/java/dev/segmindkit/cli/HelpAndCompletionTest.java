package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segmindkit.cli.CliHarness.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code segmind help COMMAND} and {@code segmind completion bash|zsh}: the help is the command's
 * own, and the completion script, sourced by a real bash, completes commands, options and the
 * spec's allowed values.
 */
class HelpAndCompletionTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "segmind help {0}")
    @ValueSource(strings = {"style-transfer", "material-transfer", "run", "status", "result", "credits", "fake-server", "completion"})
    void helpOfACommandIsThatCommandsOwnHelp(String command) {
        Run help = CliHarness.withoutKey().run("help", command);
        Run own = CliHarness.withoutKey().run(command, "--help");

        assertThat(help.exitCode).as(help.toString()).isZero();
        assertThat(help.out).isEqualTo(own.out).contains("Usage: segmind " + command);
        assertThat(help.err).isEmpty();
    }

    @Test
    void helpAloneIsTheCommandList() {
        Run run = CliHarness.withoutKey().run("help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Commands:", "style-transfer", "completion", "help", "Exit codes:");
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        Run run = CliHarness.withoutKey().run("help", "style-transfr");

        assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(run.err).startsWith("segmind: ").contains("style-transfr");
    }

    @Test
    void theBashScriptRegistersACompletionFunctionForSegmind() {
        Run run = CliHarness.withoutKey().run("completion", "bash");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_segmind").contains("--style-image")
                .contains("--number-of-images").contains("(\"fast\" \"high-quality\" \"realistic\" \"cinematic\" \"animated\")");
        assertThat(run.err).isEmpty();
    }

    @Test
    void theZshScriptLoadsZshsBashCompletionLayer() {
        Run run = CliHarness.withoutKey().run("completion", "zsh");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).startsWith("# segmind completion for zsh").contains("$ZSH_VERSION").contains("bashcompinit")
                .contains("complete -F _complete_segmind");
    }

    @Test
    void anotherShellIsAUsageError() {
        Run run = CliHarness.withoutKey().run("completion", "fish");

        assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(run.err).contains("bash").contains("zsh");
    }

    @Test
    void bashCompletesCommandsOptionsAndTheSpecsValues() throws Exception {
        assumeTrue(onPath("bash"), "needs bash");
        Path script = dir.resolve("segmind.bash");
        Files.writeString(script, CliHarness.withoutKey().run("completion", "bash").out);

        assertThat(complete(script, "segmind sty")).containsExactly("style-transfer");
        assertThat(complete(script, "segmind help ")).contains("style-transfer", "material-transfer", "completion");
        assertThat(complete(script, "segmind style-transfer --model ")).containsExactly("fast", "high-quality", "realistic", "cinematic",
                "animated");
        assertThat(complete(script, "segmind material-transfer --material-s")).containsExactly("--material-strength");
        assertThat(complete(script, "segmind completion ")).containsExactly("bash", "zsh");
    }

    @Test
    void zshLoadsTheScriptAndRegistersTheCompletion() throws Exception {
        assumeTrue(onPath("zsh"), "needs zsh");
        Path script = dir.resolve("segmind.zsh");
        Files.writeString(script, CliHarness.withoutKey().run("completion", "zsh").out);

        String out = assertTimeoutPreemptively(BOUND, () -> run(List.of("zsh", "-f", "-c",
                "source " + script + " && print -r -- ${_comps[segmind]}")));

        assertThat(out.strip()).contains("_complete_segmind");
    }

    @Test
    void theReadmesExitCodeTableHasEveryCodeOfTheHelp() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("../README.md"));

        ExitCode.table().keySet().forEach(code -> assertThat(readme).as("exit code " + code).anyMatch(l -> l.startsWith("| " + code + " | ")));
    }

    /** What bash completes for a command line (the cursor at its end), as its completion function sets COMPREPLY. */
    private static List<String> complete(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String program = "source '" + script + "'\n"
                + "COMP_WORDS=(" + words + ")\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMP_LINE='" + line + "'\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_segmind segmind 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        String out = assertTimeoutPreemptively(BOUND, () -> run(List.of("bash", "--norc", "--noprofile", "-c", program)));
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toList());
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return out;
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
