package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmindkit.cli.CliHarness.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Without SEGMIND_API_KEY and without --fake: a person at a terminal gets the embedded fake under
 * a banner; a script (no terminal) or -q gets exit code NO_KEY and nothing runs, because the fake's
 * URLs and ids end with the process. --json tells which service answered.
 */
class NoKeyRulesTest extends AgainstFakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String[] styleTransfer(String... extra) {
        String[] base = {"style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "32", "--height", "32"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return args;
    }

    @Test
    void aTerminalWithoutAKeyGetsTheBannerAndTheFake() throws Exception {
        Run run = CliHarness.withoutKey().terminal(true).run(styleTransfer("--json"));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).contains(Target.BANNER);
        assertThat(JSON.readTree(run.out).get("fake").asBoolean()).isTrue();
    }

    @Test
    void theBannerFitsAFiftyColumnTerminal() {
        assertThat(Target.BANNER.lines()).allSatisfy(line -> assertThat(line.length()).isLessThan(50));
    }

    @Test
    void aScriptWithoutAKeyFailsWithTheNoKeyExitCodeAndRunsNothing() {
        Run run = CliHarness.withoutKey().terminal(false).run(styleTransfer("--out", dir.resolve("x.webp").toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NO_KEY);
        assertThat(run.out).isEmpty();
        assertThat(run.err.strip()).isEqualTo("segmind: SEGMIND_API_KEY is not set: set it to use the real API, or pass --fake to run on"
                + " the embedded fake server (nothing billed, outputs are test images)");
        assertThat(dir.resolve("x.webp")).doesNotExist();
    }

    @Test
    void quietWithoutAKeyFailsEvenOnATerminal() {
        Run run = CliHarness.withoutKey().terminal(true).run(styleTransfer("-q"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NO_KEY);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("segmind: SEGMIND_API_KEY is not set").doesNotContain("EMBEDDED FAKE");
    }

    @Test
    void aDumbTerminalCountsAsAScript() {
        Run run = CliHarness.withoutKey().terminal(true).env("TERM", "dumb").run(styleTransfer());

        assertThat(run.exitCode).isEqualTo(ExitCode.NO_KEY);
    }

    @ParameterizedTest(name = "segmind {0}")
    @ValueSource(strings = {"credits", "status 0b6ce9b4-0000-0000-0000-000000000000", "result 0b6ce9b4-0000-0000-0000-000000000000 --wait",
        "run flux-schnell -p prompt=x"})
    void everyApiCommandKeepsTheRule(String command) {
        Run run = CliHarness.withoutKey().run(command.split(" "));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NO_KEY);
    }

    @Test
    void fakeNeedsNoKeyAndNoTerminalAndShowsNoBanner() throws Exception {
        Run run = CliHarness.withoutKey().terminal(false).run(styleTransfer("--fake", "--json", "-q"));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).isEmpty();
        JsonNode json = JSON.readTree(run.out);
        assertThat(json.get("fake").asBoolean()).isTrue();
        assertThat(json.get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void jsonSaysFakeOnEveryDocumentOfTheFake() throws Exception {
        CliHarness fake = CliHarness.withoutKey();

        assertThat(JSON.readTree(fake.run(styleTransfer("--fake", "--json", "--no-wait")).out).get("fake").asBoolean()).isTrue();
        assertThat(JSON.readTree(fake.run("credits", "--fake", "--json").out).get("fake").asBoolean()).isTrue();
    }

    @Test
    void jsonSaysNotFakeOnTheRealService() throws Exception {
        Run result = cli.run(styleTransfer("--json"));
        Run credits = cli.run("credits", "--json");
        String id = JSON.readTree(result.out).get("request_id").asText();
        Run status = cli.run("status", id, "--json");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(JSON.readTree(result.out).get("fake").asBoolean()).isFalse();
        assertThat(JSON.readTree(credits.out).get("fake").asBoolean()).isFalse();
        assertThat(JSON.readTree(status.out).get("fake").asBoolean()).isFalse();
    }

    @Test
    void aKeyNeedsNoTerminal() {
        Run run = cli.terminal(false).run(styleTransfer("-q"));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(tenant.journal().submittedRequestIds()).hasSize(1);
    }
}
