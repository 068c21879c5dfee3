package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmindkit.cli.CliHarness.Run;
import dev.segmindkit.testkit.ManualClock;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segmind material-transfer} and {@code segmind run} end to end against a fake server on a shared ManualClock. */
class MaterialTransferAndRunCommandTest extends AgainstFakeTest {
    @TempDir
    Path dir;





    @Test
    void materialTransferTakesTheSubjectsSizeWithinTheMaxima() throws Exception {
        Path subject = dir.resolve("subject.png");
        ImageIO.write(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB), "png", subject.toFile());
        Path out = dir.resolve("statue.png");

        Run run = cli.run("material-transfer", "--material-image", CliHarness.SAMPLE.toString(), "--subject-image", subject.toString(),
                "--max-width", "150", "--guidance-scale", "2.5", "--material-strength", "strong", "--out", out.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        BufferedImage image = Images.decode(out, "png");
        assertThat(image.getWidth()).isEqualTo(150);
        assertThat(image.getHeight()).isEqualTo(100);
    }

    @Test
    void materialTransferNeedsBothImagesNamedByTheirOptions() {
        Run run = cli.run("material-transfer", "--material-image", CliHarness.SAMPLE.toString());

        assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(run.err.strip()).isEqualTo("segmind: invalid parameters: --subject-image is required");
    }

    @Test
    void aBooleanParameterIsAFlagWithAnOptionalValue() {
        Run on = cli.run("material-transfer", "--material-image", CliHarness.SAMPLE.toString(), "--subject-image",
                CliHarness.SAMPLE.toString(), "--return-intermediate-images", "--no-wait");
        Run off = cli.run("material-transfer", "--material-image", CliHarness.SAMPLE.toString(), "--subject-image",
                CliHarness.SAMPLE.toString(), "--return-intermediate-images=false", "--no-wait");

        assertThat(on.exitCode).as(on.toString()).isZero();
        assertThat(off.exitCode).as(off.toString()).isZero();
    }

    @Test
    void runSendsParamsAsJsonNumbersAndBooleansElseStrings() {
        assertThat(RunCommand.value("5")).isEqualTo(5);
        assertThat(RunCommand.value("0.65")).isEqualTo(new BigDecimal("0.65"));
        assertThat(RunCommand.value("true")).isEqualTo(true);
        assertThat(RunCommand.value("a red fox")).isEqualTo("a red fox");
        assertThat(RunCommand.value("1 dog")).isEqualTo("1 dog");
        assertThat(RunCommand.value("\"5\"")).isEqualTo("5");
        assertThat(RunCommand.value("")).isEqualTo("");
        assertThat(RunCommand.value("null")).isEqualTo("null");
    }

    @Test
    void runOfADescribedModelTakesAtFileImagesAndIsValidatedByTheSpec() throws Exception {
        Path out = dir.resolve("o.jpg");

        Run ok = cli.run("run", "style-transfer", "--param", "style_image=@" + CliHarness.SAMPLE, "--param", "width=80", "--param",
                "height=60", "--param", "output_format=jpg", "--out", out.toString());
        Run bad = cli.run("run", "style-transfer", "--param", "style_image=@" + CliHarness.SAMPLE, "--param", "number_of_images=0");

        assertThat(ok.exitCode).as(ok.toString()).isZero();
        assertThat(Images.decode(out, "jpeg").getWidth()).isEqualTo(80);
        assertThat(bad.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err).contains("--param number_of_images must be between 1 and 10, got 0");
    }

    @Test
    void runOfAnyOtherModelPassesItsParamsAsGiven() throws Exception {
        Run run = cli.run("run", "flux-schnell", "-p", "prompt=a red fox", "-p", "width=64", "-p", "height=32", "-p", "output_format=png",
                "-p", "number_of_images=2", "--out", dir + "/", "--json");

        assertThat(run.exitCode).as(run.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("files")).hasSize(2);
        BufferedImage first = Images.decode(Path.of(json.get("files").get(0).asText()), "png");
        assertThat(first.getWidth()).isEqualTo(64);
        assertThat(first.getHeight()).isEqualTo(32);
        assertThat(json.get("files").get(0).asText()).matches(".*flux-schnell-[0-9a-f]{8}-1\\.png");
    }

    @Test
    void runOnTheEmbeddedFakeServesAnyModel() throws Exception {
        Path out = dir.resolve("x");

        Run run = CliHarness.withoutKey().run("run", "some-new-model", "-p", "width=40", "-p", "height=40", "--out", out.toString(), "--fake");

        assertThat(run.exitCode).as(run.toString()).isZero();
        // No output_format given: the fake answers JPEG, and the file is named for what it got.
        assertThat(run.out.strip()).isEqualTo(dir.resolve("x.jpg").toString());
        assertThat(Images.decode(dir.resolve("x.jpg"), "jpeg").getWidth()).isEqualTo(40);
    }

    @Test
    void runOfAModelTheServiceDoesNotKnowIsNotFound() {
        Run run = cli.run("run", "no-such-model", "-p", "prompt=x");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void runRefusesAModelNameThatIsNotASlug() {
        Run run = cli.run("run", "../v1/credits", "-p", "a=1");

        assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(run.err).contains("a model name is a slug");
    }
}
