package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmindkit.cli.CliHarness.Run;
import dev.segmindkit.testkit.Journal;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Phase;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segmind style-transfer} end to end: against a fake server standing in for the real API
 * (its tenant on a ManualClock the CLI shares, so the 17-second job is waited for in
 * milliseconds), and on the embedded fake when no key is set.
 */
class StyleTransferCommandTest extends AgainstFakeTest {
    @TempDir
    Path dir;





    @Test
    void savesAWebpOfTheDefaultSizeFromTheSampleStyleImage() throws Exception {
        Path out = dir.resolve("out.webp");

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--prompt", "a lighthouse at dusk", "--out", out.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out.strip()).isEqualTo(out.toString());
        BufferedImage image = Images.decode(out, "webp");
        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(1024);
        assertThat(run.err).contains("submitted style-transfer job").contains("PROCESSING").contains("COMPLETED").doesNotContain("embedded fake");
        assertThat(tenant.journal().entries().stream().filter(e -> e.phase() == Phase.SUBMIT).count()).isEqualTo(1);
    }

    @Test
    void anOutFileNamedPngAsksTheServiceForPng() throws Exception {
        Path out = dir.resolve("lighthouse.png");

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "320", "--height", "200",
                "--out", out.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        BufferedImage image = Images.decode(out, "png");
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(200);
    }

    @Test
    void correctsTheExtensionWhenTheImageIsInAnotherFormatThanTheFileName() throws Exception {
        Path asked = dir.resolve("out.png");

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--output-format", "jpg", "--width", "64",
                "--height", "48", "--out", asked.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        Path saved = dir.resolve("out.jpg");
        assertThat(run.out.strip()).isEqualTo(saved.toString());
        assertThat(asked).doesNotExist();
        assertThat(Images.decode(saved, "jpeg").getWidth()).isEqualTo(64);
        assertThat(run.err).contains("the service sent JPG, not PNG: saved as " + saved);
    }

    @Test
    void severalImagesGoIntoTheDirectoryAsNumberedFiles() throws Exception {
        Path outDir = dir.resolve("renders");

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--number-of-images", "3", "--width", "96",
                "--height", "64", "--out", outDir + "/");

        assertThat(run.exitCode).as(run.toString()).isZero();
        List<Path> files;
        try (Stream<Path> s = Files.list(outDir)) {
            files = s.sorted().collect(Collectors.toList());
        }
        assertThat(files).hasSize(3);
        assertThat(files.get(0).getFileName().toString()).matches("style-transfer-[0-9a-f]{8}-1\\.webp");
        assertThat(files.get(2).getFileName().toString()).endsWith("-3.webp");
        for (Path f : files) {
            assertThat(Images.decode(f, "webp").getWidth()).isEqualTo(96);
        }
        assertThat(run.out.strip().split("\n")).hasSize(3);
    }

    @Test
    void severalImagesWithAnOutFileAreNumberedNextToIt() throws Exception {
        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--number-of-images", "2", "--width", "32",
                "--height", "32", "--out", dir.resolve("pair.webp").toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(dir.resolve("pair-1.webp")).exists();
        assertThat(dir.resolve("pair-2.webp")).exists();
    }

    @Test
    void jsonPrintsTheResultWithItsFilesAndTheServicesMetrics() throws Exception {
        Path out = dir.resolve("out.webp");

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--out", out.toString(), "--json");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out.strip().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(json.get("model").asText()).isEqualTo("style-transfer");
        assertThat(json.get("request_id").asText()).matches("[0-9a-f-]{36}");
        assertThat(json.get("outputs").get(0).asText()).startsWith(server.baseUrl().toString());
        assertThat(json.get("files").get(0).asText()).isEqualTo(out.toString());
        assertThat(json.get("metrics").get("cost").asDouble()).isEqualTo(0.0257);
    }

    @Test
    void withoutOutPrintsTheOutputUrls() {
        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out.strip()).startsWith(server.baseUrl() + "/media/").endsWith(".webp");
    }

    @Test
    void uploadSendsTheLocalFileToTheAssetHostAndPassesItsUrl() {
        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--upload", "--out", dir.resolve("o.webp").toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        List<Journal.Entry> entries = tenant.journal().entries();
        assertThat(entries).extracting(Journal.Entry::phase).startsWith(Phase.UPLOAD, Phase.SUBMIT);
    }

    @Test
    void anImageUrlIsPassedAsItIs() {
        Run run = cli.run("style-transfer", "--style-image", "https://example.com/style.png", "--no-wait");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(tenant.journal().entries()).extracting(Journal.Entry::phase).containsExactly(Phase.SUBMIT);
    }

    @Test
    void aMissingOutDirectoryIsRefusedBeforeAnythingIsSubmitted() {
        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--out", dir.resolve("no/such/out.webp").toString());

        assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(run.err).contains("does not exist");
        assertThat(tenant.journal().entries()).isEmpty();
    }

    @Test
    void withoutAKeyATerminalIsToldSoAndRunsOnTheEmbeddedFake() throws Exception {
        Path out = dir.resolve("out.webp");

        Run run = CliHarness.withoutKey().terminal(true).run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "128",
                "--height", "128", "--out", out.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).contains(Target.BANNER);
        assertThat(Images.decode(out, "webp").getWidth()).isEqualTo(128);
    }

    @Test
    void fakeUsesTheEmbeddedServerEvenWhenAKeyIsSet() {
        Run run = cli.run("style-transfer", "--fake", "--style-image", CliHarness.SAMPLE.toString(), "--out", dir.resolve("o.webp").toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(tenant.journal().entries()).isEmpty();
        assertThat(run.err).doesNotContain("SEGMIND_API_KEY is not set").doesNotContain("EMBEDDED FAKE");
    }
}
