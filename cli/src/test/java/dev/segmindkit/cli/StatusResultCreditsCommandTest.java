package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmindkit.cli.CliHarness.Run;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --no-wait}, then {@code status}, {@code result} and {@code result --wait} on the id it printed; and {@code credits}. */
class StatusResultCreditsCommandTest extends AgainstFakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;





    private String submitWithoutWaiting() {
        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "64", "--height", "64", "--no-wait");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).contains("wait for it with: segmind result " + run.out.strip() + " --wait");
        return run.out.strip();
    }

    @Test
    void noWaitPrintsTheRequestIdAndPollsNothing() {
        String id = submitWithoutWaiting();

        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(tenant.journal().submittedRequestIds()).containsExactly(id);
        assertThat(tenant.journal().polls(id)).isEmpty();
    }

    @Test
    void noWaitWithJsonPrintsTheIdAsJson() throws Exception {
        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--no-wait", "--json");

        JsonNode json = JSON.readTree(run.out);
        assertThat(json.get("status").asText()).isEqualTo("QUEUED");
        assertThat(tenant.journal().submittedRequestIds()).containsExactly(json.get("request_id").asText());
    }

    @Test
    void statusFollowsTheJobsLifecycle() throws Exception {
        String id = submitWithoutWaiting();

        Run queued = cli.run("status", id);
        clock.advance(Duration.ofSeconds(5));
        Run processing = cli.run("status", id, "--json");
        clock.advance(Duration.ofSeconds(60));
        Run completed = cli.run("status", id);

        assertThat(queued.out.strip()).isEqualTo("QUEUED");
        JsonNode json = JSON.readTree(processing.out);
        assertThat(json.get("request_id").asText()).isEqualTo(id);
        assertThat(json.get("status").asText()).isEqualTo("PROCESSING");
        assertThat(completed.out.strip()).isEqualTo("COMPLETED");
        assertThat(queued.exitCode + processing.exitCode + completed.exitCode).isZero();
    }

    @Test
    void resultOfAnUnfinishedJobSaysHowToWaitAndExitsWithTheTimeoutCode() {
        String id = submitWithoutWaiting();

        Run run = cli.run("result", id);

        assertThat(run.exitCode).isEqualTo(ExitCode.TIMEOUT);
        assertThat(run.err).contains("job " + id + " is QUEUED, not finished yet: wait for it with: segmind result " + id + " --wait");
        assertThat(run.out).isEmpty();
    }

    @Test
    void resultOfAFinishedJobSavesItsImage() throws Exception {
        String id = submitWithoutWaiting();
        clock.advance(Duration.ofMinutes(1));
        Path out = dir.resolve("later.webp");

        Run run = cli.run("result", id, "--out", out.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(Images.decode(out, "webp").getWidth()).isEqualTo(64);
    }

    @Test
    void resultWaitWaitsForTheJobAndPrintsJson() throws Exception {
        String id = submitWithoutWaiting();

        Run run = cli.run("result", id, "--wait", "--json", "--out", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        JsonNode json = JSON.readTree(run.out);
        assertThat(json.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(json.has("model")).isFalse();
        Path file = Path.of(json.get("files").get(0).asText());
        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(file.getFileName().toString()).isEqualTo("segmind-" + id.substring(0, 8) + ".webp");
        tenant.journal().assertNoPollAfterTerminal();
    }

    @Test
    void creditsPrintsTheBalance() throws Exception {
        tenant.credits(42.5).freeCredits(3);

        Run text = cli.run("credits");
        Run json = cli.run("credits", "--json");

        assertThat(text.exitCode).isZero();
        assertThat(text.out).isEqualTo("credits: 42.5" + System.lineSeparator() + "free credits: 3" + System.lineSeparator());
        JsonNode balance = JSON.readTree(json.out);
        assertThat(balance.get("credits").asDouble()).isEqualTo(42.5);
        assertThat(balance.get("free_credits").asDouble()).isEqualTo(3.0);
    }

    @Test
    void creditsWithFakeComeFromTheEmbeddedFake() {
        Run run = CliHarness.withoutKey().run("credits", "--fake");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).startsWith("credits: 100");
        assertThat(run.err).isEmpty();
    }
}
