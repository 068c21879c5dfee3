package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmindkit.cli.CliHarness.Run;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.ManualClock;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hint that resumes a job carries the options that shape its result, and the command it
 * gives works; network failures name the host they happened with.
 */
class ResumeHintAndHostTest extends AgainstFakeTest {
    @TempDir
    Path dir;

    @Test
    void theTimeoutsResumeHintKeepsOutJsonQuietAndTimeoutAndWorks() {
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ZERO).processingFor(Duration.ofMinutes(5)));
        Path out = dir.resolve("late.webp");

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "40", "--height", "40",
                "--out", out.toString(), "--json", "-q", "--timeout", "90s");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.TIMEOUT);
        String id = tenant.journal().submittedRequestIds().get(0);
        Matcher hint = Pattern.compile("it may still finish: (segmind result " + id + " --wait --out \\S+ --json --quiet --timeout 90s)$")
                .matcher(run.err.strip());
        assertThat(hint.find()).as(run.err).isTrue();

        tenant.script(id, JobScript.completes().queuedFor(Duration.ZERO).processingFor(Duration.ZERO));
        String[] resume = hint.group(1).split(" ");
        Run resumed = cli.run(java.util.Arrays.copyOfRange(resume, 1, resume.length));

        assertThat(resumed.exitCode).as(resumed.toString()).isZero();
        assertThat(out).exists();
        assertThat(tenant.journal().submittedRequestIds()).containsExactly(id);
    }

    @Test
    void theBaseUrlOptionIsKeptAndTheDefaultTimeoutIsLeftOut() {
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ZERO).processingFor(Duration.ofHours(1)));
        String base = server.baseUrl().toString();

        Run run = CliHarness.against(base, tenant.apiKey(), clock).run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(),
                "--base-url", base, "--out", dir.toString() + "/");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(run.err.strip()).endsWith(" --wait --base-url " + base + " --out " + dir + "/");
    }

    @Test
    void aNotFinishedResultSaysHowToWaitWithTheSameOptions() {
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ZERO).processingFor(Duration.ofHours(1)));
        String id = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--no-wait").out.strip();

        Run run = cli.run("result", id, "--out", "x.png");

        assertThat(run.exitCode).isEqualTo(ExitCode.TIMEOUT);
        assertThat(run.err).contains("wait for it with: segmind result " + id + " --wait --out x.png");
    }

    @Test
    void aTimeoutOnTheEmbeddedFakeSaysItCannotBeResumed() {
        Run run = CliHarness.withoutKey().time(new ManualClock()).run("style-transfer", "--fake", "--style-image", CliHarness.SAMPLE.toString(),
                "--timeout", "10ms");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(run.err).contains("it ran on the embedded fake server, which stops with this command, so it cannot be resumed")
                .doesNotContain("segmind result");
    }

    @Test
    void aFailedDownloadNamesTheHostOfTheOutput() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        tenant.scriptNext("style-transfer", JobScript.completes().withOutput("http://127.0.0.1:" + closedPort + "/gone.webp"));

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--out", dir.resolve("x.webp").toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NETWORK);
        String last = run.err.strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("segmind: network failure downloading the output from 127.0.0.1:" + closedPort + ": ");
    }
}
