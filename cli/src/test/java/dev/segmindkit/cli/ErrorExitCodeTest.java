package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmindkit.cli.CliHarness.Run;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of failure: its exit code, and one line on stderr that says what happened (a stack trace only with --verbose). */
class ErrorExitCodeTest extends AgainstFakeTest {
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("a value outside the spec's range", ExitCode.USAGE, (Consumer<Tenant>) t -> { },
                        new String[] {"--number-of-images", "11"}, "invalid parameters: --number-of-images must be between 1 and 10, got 11"),
                Arguments.of("a value outside the spec's enum", ExitCode.USAGE, (Consumer<Tenant>) t -> { },
                        new String[] {"--model", "turbo"}, "--model must be one of fast, high-quality, realistic, cinematic, animated, got \"turbo\""),
                Arguments.of("the service's 400", ExitCode.USAGE, (Consumer<Tenant>) t -> t.inject(Phase.SUBMIT, Fault.status(400, "prompt too long")),
                        new String[0], "the service refused the parameters: prompt too long"),
                Arguments.of("a model not allowed for the account", ExitCode.AUTH, (Consumer<Tenant>) t -> t.forbid("style-transfer"),
                        new String[0], "this account may not use the model"),
                Arguments.of("no credits", ExitCode.CREDITS, (Consumer<Tenant>) t -> t.credits(0),
                        new String[0], "not enough credits"),
                Arguments.of("a FAILED job", ExitCode.JOB_FAILED,
                        (Consumer<Tenant>) t -> t.scriptNext("style-transfer", JobScript.fails("NSFW content detected")),
                        new String[0], "FAILED: NSFW content detected"),
                Arguments.of("a job longer than --timeout", ExitCode.TIMEOUT,
                        (Consumer<Tenant>) t -> t.scriptNext("style-transfer", JobScript.completes().processingFor(Duration.ofHours(1))),
                        new String[] {"--timeout", "30s"}, "(last status PROCESSING); it may still finish: segmind result "),
                Arguments.of("a submit whose answer is lost", ExitCode.NETWORK,
                        (Consumer<Tenant>) t -> t.inject(Phase.SUBMIT, Fault.disconnectAfterHandling()),
                        new String[0], "the submit to 127.0.0.1:"),
                Arguments.of("a server error", ExitCode.SERVICE, (Consumer<Tenant>) t -> t.inject(Phase.SUBMIT, Fault.status(500)),
                        new String[0], "the service answered HTTP 500"),
                Arguments.of("a retired model", ExitCode.SERVICE, (Consumer<Tenant>) t -> t.retire("style-transfer"),
                        new String[0], "the model is retired"),
                Arguments.of("a rate limit that outlasts the retries", ExitCode.SERVICE,
                        (Consumer<Tenant>) t -> t.inject(Phase.SUBMIT, Fault.rateLimited(Duration.ofMinutes(10)).always()),
                        new String[0], "rate limited"));
    }

    @ParameterizedTest(name = "{0} exits with {1}")
    @MethodSource("failures")
    void eachKindOfFailureHasItsExitCodeAndOneLine(String kind, int code, Consumer<Tenant> setUp, String[] extra, String message) {
        setUp.accept(tenant);
        String[] args = Stream.concat(Stream.of("style-transfer", "--style-image", CliHarness.SAMPLE.toString()), Stream.of(extra))
                .toArray(String[]::new);

        Run run = cli.run(args);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(code);
        String last = run.err.strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("segmind: ").contains(message);
        assertThat(run.err).doesNotContain("\tat ").doesNotContain(tenant.apiKey());
    }

    @Test
    void aRefusedKeyIsAnAuthFailure() {
        Run run = CliHarness.against(server.baseUrl().toString(), "SG_0000000000000000", clock).run("credits");

        assertThat(run.exitCode).isEqualTo(ExitCode.AUTH);
        assertThat(run.err.strip()).isEqualTo("segmind: the API key was refused: Unauthorized. API key is invalid or may have expired"
                + " (check SEGMIND_API_KEY)");
    }

    @Test
    void anUnreachableServiceIsANetworkFailure() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        Run run = CliHarness.against("http://127.0.0.1:" + closedPort, tenant.apiKey(), clock).run("credits");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NETWORK);
        assertThat(run.err).startsWith("segmind: network failure: could not reach 127.0.0.1:" + closedPort + " (");
    }

    @Test
    void anUnknownRequestIdIsNotFound() {
        Run run = cli.run("result", "0b6ce9b4-0000-0000-0000-000000000000");

        assertThat(run.exitCode).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(run.err).contains("not found: Request 0b6ce9b4-0000-0000-0000-000000000000 not found");
    }

    @Test
    void aFailedJobWithJsonAlsoPrintsTheFailureAsJson() throws Exception {
        tenant.scriptNext("style-transfer", JobScript.fails("out of memory"));

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--json");

        assertThat(run.exitCode).isEqualTo(ExitCode.JOB_FAILED);
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("status").asText()).isEqualTo("FAILED");
        assertThat(json.get("error").asText()).isEqualTo("out of memory");
        assertThat(tenant.journal().submittedRequestIds()).containsExactly(json.get("request_id").asText());
    }

    @Test
    void theTimeoutMessageNamesTheJobToResume() {
        tenant.scriptNext("style-transfer", JobScript.completes().processingFor(Duration.ofHours(1)));

        Run run = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--timeout", "1m");

        String id = tenant.journal().submittedRequestIds().get(0);
        assertThat(run.err).contains("segmind result " + id + " --wait");
    }

    @Test
    void unknownOptionsAndBadValuesAreUsageErrorsWithAHint() {
        Run typo = cli.run("style-transfer", "--widht", "5");
        Run notANumber = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--width", "wide");
        Run noCommand = cli.run();
        Run missingFile = cli.run("style-transfer", "--style-image", "no/such.png");

        assertThat(typo.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(typo.err).contains("did you mean --width?").contains("see: segmind style-transfer --help");
        assertThat(notANumber.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(notANumber.err).contains("--width");
        assertThat(noCommand.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(noCommand.err).contains("Commands:");
        assertThat(missingFile.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(missingFile.err.strip()).isEqualTo("segmind: --style-image: no such file: no/such.png (give a local image file, an http(s) URL or a data: URI)");
        assertThat(tenant.journal().entries()).isEmpty();
    }

    @Test
    void verbosePrintsTheStackTrace() {
        tenant.credits(0);

        Run quiet = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString());
        Run verbose = cli.run("style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--verbose");

        assertThat(quiet.err).doesNotContain("\tat ");
        assertThat(verbose.exitCode).isEqualTo(ExitCode.CREDITS);
        assertThat(verbose.err).contains("InsufficientCreditsException").contains("\tat ");
    }
}
