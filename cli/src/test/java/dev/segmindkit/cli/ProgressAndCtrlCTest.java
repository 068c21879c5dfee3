package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.cli.CliHarness.Run;
import dev.segmindkit.cli.CliHarness.Watched;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What waiting looks like on stderr (a live line on a terminal, plain lines elsewhere), and Ctrl-C:
 * it stops the wait, prints the command that resumes the job, and that command works.
 */
class ProgressAndCtrlCTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static FakeSegmindServer server;
    private static ExecutorService background;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = FakeSegmindServer.start();
        background = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        background.shutdownNow();
        server.close();
    }

    private CliHarness onManualClock(boolean terminal) {
        ManualClock clock = new ManualClock();
        Tenant tenant = server.newTenant(clock);
        return CliHarness.against(server.baseUrl().toString(), tenant.apiKey(), clock).terminal(terminal);
    }

    @Test
    void aTerminalGetsOneLiveLineRedrawnInPlaceAndClearedAtTheEnd() {
        Run run = onManualClock(true).run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "32", "--height", "32");

        assertThat(run.exitCode).as(run.toString()).isZero();
        // The spinner's frame depends on how many 100 ms ticks passed: any of its four. The first
        // poll of a style-transfer job goes out after a quarter of its typical 17 s (PollingPolicy),
        // which leaves about 13 s of it.
        assertThat(run.err).containsPattern("\r[|/\\\\-] PROCESSING  4\\.3s, about 13s left  style-transfer [0-9a-f-]{36}\u001b\\[K");
        // The live line is cleared before the summary, so the summary starts a clean line.
        assertThat(run.err).contains("\r\u001b[Ksegmind: job ");
        assertThat(run.err).doesNotContain("segmind: [");
    }

    @Test
    void elsewhereEachChangeIsAPlainLine() {
        Run run = onManualClock(false).run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "32", "--height", "32");

        assertThat(run.err).doesNotContain("\r").doesNotContain("\u001b");
        // The default schedule on the manual clock: first poll at 4.25 s, the last at 19.7 s.
        assertThat(run.err.lines()).contains("segmind: [4.3s] PROCESSING", "segmind: [19.7s] COMPLETED");
    }

    @Test
    void quietLeavesStderrEmpty() {
        Run run = onManualClock(true).run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "32", "--height", "32",
                "--quiet");

        assertThat(run.exitCode).isZero();
        assertThat(run.err).isEmpty();
        assertThat(run.out).isNotEmpty();
    }

    @Test
    void theEmbeddedFakeShowsTheWholeLifecycleInAboutASecond() {
        Run run = CliHarness.withoutKey().run("style-transfer", "--fake", "--style-image", CliHarness.SAMPLE.toString(), "--width", "32",
                "--height", "32");

        assertThat(run.exitCode).isZero();
        assertThat(run.err).contains("COMPLETED");
        assertThat(run.err).contains("use --out to keep the images");
    }

    @Test
    void ctrlCStopsWaitingPrintsTheResumeCommandAndThatCommandWorks() throws Exception {
        // Real time, and a job that would run for a minute: the CLI is genuinely waiting when Ctrl-C comes.
        Tenant tenant = server.newTenant(TimeSource.system());
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ZERO).processingFor(Duration.ofMinutes(1)));
        CliHarness harness = CliHarness.against(server.baseUrl().toString(), tenant.apiKey(), TimeSource.system());
        Path out = dir.resolve("resumed.webp");
        Watched err = new Watched();
        SegmindCli cli = harness.cli(new Watched(), err);

        Future<Integer> exit = background.submit(() -> cli.execute("style-transfer", "--style-image", CliHarness.SAMPLE.toString(),
                "--width", "48", "--height", "48", "--out", out.toString()));
        err.await("submitted style-transfer job", PATIENCE);
        cli.cancel();

        assertThat(exit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ExitCode.INTERRUPTED);
        String id = tenant.journal().submittedRequestIds().get(0);
        Matcher resume = Pattern.compile("\n  segmind (result " + id + " --wait --out \\S+)\n").matcher(err.toString());
        assertThat(resume.find()).as(err.toString()).isTrue();
        assertThat(err.toString()).contains("stopped waiting for job " + id + " (it goes on, and is billed)");
        assertThat(out).doesNotExist();

        tenant.script(id, JobScript.completes().queuedFor(Duration.ZERO).processingFor(Duration.ZERO));
        Run resumed = harness.run(resume.group(1).split(" "));

        assertThat(resumed.exitCode).as(resumed.toString()).isZero();
        assertThat(Images.decode(out, "webp").getWidth()).isEqualTo(48);
        assertThat(tenant.journal().submittedRequestIds()).containsExactly(id);
    }

    @Test
    void ctrlCOnTheEmbeddedFakeSaysTheJobCannotBeResumed() throws Exception {
        Watched err = new Watched();
        SegmindCli cli = SegmindCli.builder().env(java.util.Map.of()).out(new Watched()).err(err).terminal(false)
                .embeddedFakeTimeline(Duration.ZERO, Duration.ofMinutes(1)).build();

        Future<Integer> exit = background.submit(() -> cli.execute("style-transfer", "--fake", "--style-image", CliHarness.SAMPLE.toString()));
        err.await("submitted style-transfer job", PATIENCE);
        cli.cancel();

        assertThat(exit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(err.toString()).contains("it ran on the embedded fake server, which stops with this command, so it cannot be resumed");
    }
}
