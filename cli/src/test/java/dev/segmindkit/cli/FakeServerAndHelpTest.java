package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.cli.CliHarness.Run;
import dev.segmindkit.cli.CliHarness.Watched;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.internal.Spec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code segmind fake-server} serving the other commands, and the help texts derived from the spec. */
class FakeServerAndHelpTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static ExecutorService background;

    @BeforeAll
    static void start() {
        background = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        background.shutdownNow();
    }

    @Test
    void fakeServerPrintsWhatToExportServesOtherCommandsAndStopsOnCtrlC() throws Exception {
        Watched out = new Watched();
        Watched err = new Watched();
        SegmindCli server = SegmindCli.builder().env(Map.of()).out(out).err(err).terminal(false).build();

        Future<Integer> exit = background.submit(() -> server.execute("fake-server", "--port", "0", "--api-key", "SG_cafe000000000001"));
        String printed = out.await("Press Ctrl-C to stop.", PATIENCE);
        Matcher url = Pattern.compile("export SEGMIND_BASE_URL=(http://\\S+)").matcher(printed);
        assertThat(url.find()).as(printed).isTrue();
        assertThat(printed).contains("export SEGMIND_API_KEY=SG_cafe000000000001").contains("/__fake/");

        Run credits = CliHarness.against(url.group(1), "SG_cafe000000000001", TimeSource.system()).run("credits");
        Run submitted = CliHarness.against(url.group(1), "SG_cafe000000000001", TimeSource.system())
                .run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--no-wait");
        Run status = CliHarness.against(url.group(1), "SG_cafe000000000001", TimeSource.system()).run("status", submitted.out.strip());
        server.cancel();

        assertThat(credits.out).startsWith("credits: 100");
        assertThat(submitted.exitCode).isZero();
        assertThat(status.exitCode).as(status.toString()).isZero();
        assertThat(status.out.strip()).isIn("QUEUED", "PROCESSING", "COMPLETED");
        assertThat(exit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(err.toString()).contains("fake server stopped");
    }

    @Test
    void fakeServerTakesTheStandaloneJarsOptionsAndItsControlUrlAnswers() throws Exception {
        Watched out = new Watched();
        SegmindCli server = SegmindCli.builder().env(Map.of()).out(out).err(new Watched()).terminal(false).build();

        Future<Integer> exit = background.submit(() -> server.execute("fake-server", "--port", "0", "--api-key", "SG_cafe000000000002",
                "--time", "manual", "--model", "flux-schnell", "--credits", "5", "--price", "flux-schnell=0.5"));
        String printed = out.await("Press Ctrl-C to stop.", PATIENCE);
        Matcher control = Pattern.compile("control API: (http://\\S+/__fake/)").matcher(printed);
        assertThat(control.find()).as(printed).isTrue();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> index = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(control.group(1)))
                .timeout(PATIENCE).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.http.HttpResponse<String> tenant = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(control.group(1) + "tenants/SG_cafe000000000002")).timeout(PATIENCE).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        server.cancel();

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("/__fake/tenants/{key}/settings");
        assertThat(tenant.body()).contains("\"credits\":5").contains("\"manual_clock\":true").contains("\"flux-schnell\":0.5");
        assertThat(exit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void fakeServerRefusesAnUnknownOptionAsAUsageError() {
        Run run = CliHarness.withoutKey().run("fake-server", "--frobnicate");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("unknown option --frobnicate");
    }

    @Test
    void theRootHelpListsEveryCommandAndTheExitCodes() {
        Run run = CliHarness.withoutKey().run("--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("style-transfer", "material-transfer", "run", "status", "result", "credits", "fake-server");
        ExitCode.table().forEach((code, meaning) -> assertThat(run.out).contains(code));
        assertThat(run.out).contains("130   interrupted");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"style-transfer", "material-transfer"})
    void everyParameterOfTheSpecIsAnOptionWithItsAllowedValuesRangeAndDefault(String model) {
        Run run = CliHarness.withoutKey().run(model, "--help");
        String help = run.out.replaceAll("\\s+", " ");

        assertThat(run.exitCode).isZero();
        JsonNode schema = Spec.get().requestSchema(model).orElseThrow();
        schema.path("properties").properties().forEach(property -> {
            String option = "--" + property.getKey().replace('_', '-');
            assertThat(help).as(option).containsAnyOf(option + "=", option + "[=");
            JsonNode p = property.getValue().has("$ref")
                    ? Spec.get().schema(property.getValue().get("$ref").asText().replace("#/components/schemas/", "")).orElseThrow()
                    : property.getValue();
            if (p.has("minimum") && p.has("maximum")) {
                assertThat(help).contains("Range: " + plain(p.get("minimum")) + " to " + plain(p.get("maximum")) + ".");
            }
            if (p.has("enum")) {
                StringBuilder values = new StringBuilder();
                p.get("enum").forEach(v -> values.append(values.length() == 0 ? "" : ", ").append(v.asText()));
                assertThat(help).contains("One of: " + values + ".");
            }
            if (p.has("default") && !p.get("default").asText().isEmpty()) {
                assertThat(help).contains("Default: " + (p.get("default").isNumber() ? plain(p.get("default")) : p.get("default").asText()) + ".");
            }
        });
    }

    @Test
    void theVersionIsPrinted() {
        Run run = CliHarness.withoutKey().run("--version");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).startsWith("segmind (segmindkit) ");
    }

    private static String plain(JsonNode n) {
        return n.decimalValue().stripTrailingZeros().toPlainString();
    }
}
