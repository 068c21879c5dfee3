package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.cli.CliHarness.Run;
import dev.segmindkit.testkit.JobScript;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The live line on a terminal: never wider than the terminal (a wrapped line is redrawn one row
 * lower each time, so a job would fill the screen), and an ETA from the model's typical duration.
 * All on the manual clock: the job's 17 s pass in no time.
 */
class LiveLineTest extends AgainstFakeTest {
    private static final String[] STYLE_TRANSFER = {"style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "32",
        "--height", "32"};

    /** Each state the live line was drawn in, as the terminal shows it (no control sequences). */
    private static List<String> frames(String err) {
        int start = err.indexOf('\r');
        int end = err.lastIndexOf("\r\u001b[K");
        return Arrays.stream(err.substring(start, end).split("\r")).map(f -> f.replace("\u001b[K", ""))
                .filter(f -> !f.isEmpty()).collect(Collectors.toList());
    }

    @Test
    void atFiftyColumnsEveryUpdateIsDrawnOnOneLine() {
        Run run = cli.terminal(true).columns(50).run(STYLE_TRANSFER);

        assertThat(run.exitCode).as(run.toString()).isZero();
        String live = run.err.substring(run.err.indexOf('\r'), run.err.lastIndexOf("\r\u001b[K"));
        assertThat(live).as("no line break while the job runs").doesNotContain("\n");
        List<String> frames = frames(run.err);
        assertThat(frames).hasSizeGreaterThanOrEqualTo(3).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(49));
        assertThat(frames).anySatisfy(f -> assertThat(f).contains("PROCESSING  4.3s, about 13s left"));
    }

    @Test
    void aNarrowTerminalStillGetsTheStatusFirst() {
        Run run = cli.terminal(true).columns(20).run(STYLE_TRANSFER);

        assertThat(frames(run.err)).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(19))
                .anySatisfy(f -> assertThat(f).endsWith("PROCESSING  4.3s,"));
    }

    @Test
    void theEtaCountsDownFromTheTypicalDurationThenSaysItIsLongerThanUsual() {
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ZERO).processingFor(Duration.ofSeconds(40)));

        Run run = cli.terminal(true).run(STYLE_TRANSFER);

        assertThat(run.exitCode).as(run.toString()).isZero();
        List<String> frames = frames(run.err);
        assertThat(frames).anySatisfy(f -> assertThat(f).contains("PROCESSING  4.3s, about 13s left  style-transfer "));
        assertThat(frames).anySatisfy(f -> assertThat(f).containsPattern("PROCESSING  (1[89]|[23]\\d)\\.\\ds, usually 17s  style-transfer "));
    }

    @Test
    void plainLinesSayHowLongAJobUsuallyTakes() {
        Run run = cli.terminal(false).run(STYLE_TRANSFER);

        assertThat(run.err).containsPattern("segmind: \\[0\\.0s\\] submitted style-transfer job [0-9a-f-]{36} \\(usually about 17s\\)");
    }

    @Test
    void aModelWithoutATypicalDurationHasNoEta() {
        Run run = cli.terminal(true).run("run", "flux-schnell", "-p", "prompt=x");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(frames(run.err)).noneSatisfy(f -> assertThat(f).contains("left")).noneSatisfy(f -> assertThat(f).contains("usually"));
    }

    @Test
    void durationsAreRoundedUpToWholeSeconds() {
        assertThat(Progress.roughly(Duration.ofMillis(12_750))).isEqualTo("13s");
        assertThat(Progress.roughly(Duration.ofMillis(10))).isEqualTo("1s");
        assertThat(Progress.roughly(Duration.ofSeconds(164))).isEqualTo("2m44s");
    }

    @Test
    void theLineLeavesTheLastColumnFree() {
        assertThat(Progress.fit("0123456789", 10)).isEqualTo("012345678");
        assertThat(Progress.fit("0123", 10)).isEqualTo("0123");
        assertThat(Progress.fit("0123", 1)).isEqualTo("0");
    }

    @Test
    void theWidthComesFromColumnsWhenTheShellExportsIt() {
        assertThat(new TerminalWidth(java.util.Map.of("COLUMNS", "57")).getAsInt()).isEqualTo(57);
        assertThat(TerminalWidth.parse("wide")).isZero();
        assertThat(TerminalWidth.parse("0")).isZero();
    }
}
