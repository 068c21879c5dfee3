package dev.segmindkit.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.segmindkit.cli.SegmindCli;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Tenant;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code segmind ...} command of README.md and cli/FRESH_CLONE.md, read from the Markdown as
 * written and run through the CLI ({@link SegmindCli}, what {@code cli/target/segmind} runs, called
 * in-process) against a fake on loopback; each must exit with the code its document gives
 * ({@code exit status N} or {@code exit code N} right after the block), else 0.
 *
 * <p>Where the commands are found: in fenced {@code sh}/{@code bash}/{@code shell}/{@code console}
 * blocks (a leading {@code $ } is a prompt; {@code &&} separates commands; a word {@code segmind}
 * a path ending in {@code /segmind}, or {@code java -jar .../segmind.jar} starts a CLI command), and in inline code spans that begin
 * with {@code segmind } or hold {@code <(segmind ...)}. A command with {@code --fake} runs on the
 * CLI's embedded fake (no key in its environment); any other runs with {@code SEGMIND_BASE_URL}
 * and {@code SEGMIND_API_KEY} pointing at an in-process {@link FakeSegmindServer}. Both fakes'
 * timelines are zero, so jobs are complete when first looked at and nothing waits. The README's
 * placeholders for a request id ({@code ID}, {@code 8c1e...-...}) are replaced by the id of a
 * completed job on that fake. Working directory: {@code readme-tests/target/readme-run}, holding
 * {@code cli/samples/style.png} as a fresh clone does; a command with {@code --out FILE} must
 * leave that file behind.
 *
 * <p>Skipped, because they are install or set-up instructions rather than examples of the tool:
 * {@code ./mvnw ...} (the README's build before its first command, and its "run the whole test
 * suite", which is this build), {@code git clone} and {@code cd} (FRESH_CLONE's fresh clone), and
 * {@code mkdir}/{@code cp}/{@code chmod} (the README's install onto the PATH, which would write to
 * the user's home); and {@code java -jar ...-standalone.jar}, the testkit's fake rather than the CLI
 * ({@link CurlSessionTest} starts it as documented). Table cells naming a subcommand without {@code segmind} in front ({@code status
 * ID}) are descriptions, not commands, and are not read; {@code ```text} blocks are output. The
 * skipped commands are listed by {@link #skippedCommandsAreOnlySetUp()}, which fails on any other
 * non-CLI command so a new kind of example is not silently ignored.
 */
class CliExamplesTest {
    private static final List<String> DOCS = List.of("README.md", "cli/FRESH_CLONE.md");
    private static final List<String> SHELL = List.of("sh", "bash", "shell", "console");
    /** First words of the set-up and install commands, and why each is not run. */
    private static final Map<String, String> SETUP = Map.of(
            "./mvnw", "builds the project (the harness runs inside that build)",
            "git", "makes the fresh clone",
            "cd", "enters the fresh clone",
            "java", "starts the testkit's standalone jar, not the CLI (CurlSessionTest starts it as documented)",
            "mkdir", "installs onto the PATH (writes to the user's home)",
            "cp", "installs onto the PATH (writes to the user's home)",
            "chmod", "installs onto the PATH (writes to the user's home)");
    private static final Pattern SPAN_COMMAND = Pattern.compile("(?:^|<\\()(segmind\\s+[^)]*)");
    private static final Pattern EXIT = Pattern.compile("exit (?:status|code) (\\d+)");
    private static final Pattern PLACEHOLDER_ID = Pattern.compile("ID|[0-9a-f]+\\.\\.\\.-\\.\\.\\.");
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** A command found in a document. */
    record Command(String doc, int line, List<String> words, int expectedExit) {
        String name() {
            return doc + " line " + line + ": " + String.join(" ", words);
        }
    }

    private static FakeSegmindServer server;
    private static Tenant tenant;

    @BeforeAll
    static void fake() throws IOException {
        Path work = Paths.get("").toAbsolutePath();
        Files.createDirectories(work.resolve("cli/samples"));
        Files.copy(ReadmeExamplesTest.root().resolve("cli/samples/style.png"), work.resolve("cli/samples/style.png"), StandardCopyOption.REPLACE_EXISTING);
        server = FakeSegmindServer.start();
        tenant = server.newTenant().timeline(Duration.ZERO, Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static List<Command> commands(List<String> skipped) throws IOException {
        List<Command> commands = new ArrayList<>();
        for (String doc : DOCS) {
            String text = Files.readString(ReadmeExamplesTest.root().resolve(doc), StandardCharsets.UTF_8);
            for (Markdown.Block block : Markdown.blocks(text)) {
                if (!SHELL.contains(block.language())) {
                    continue;
                }
                int expected = expectedExit(text, block);
                String[] lines = block.body().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i].strip();
                    if (line.startsWith("$ ")) {
                        line = line.substring(2);
                    }
                    line = line.replaceAll("\\s+#[^'\"]*$", "");
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    for (String part : Markdown.andList(line)) {
                        List<String> words = Markdown.words(part);
                        String first = words.get(0);
                        int jar = words.indexOf("-jar");
                        if (first.equals("java") && jar >= 0 && jar + 1 < words.size() && words.get(jar + 1).endsWith("segmind.jar")) {
                            words = new ArrayList<>(words.subList(jar + 1, words.size()));
                            first = words.get(0);
                        }
                        if (first.equals("segmind") || first.endsWith("/segmind") || first.endsWith("segmind.jar")) {
                            List<String> args = new ArrayList<>(words);
                            args.set(0, "segmind");
                            commands.add(new Command(doc, block.line() + 1 + i, args, expected));
                        } else {
                            skipped.add(doc + " line " + (block.line() + 1 + i) + ": " + part + " -- "
                                    + SETUP.getOrDefault(first, "NOT A SET-UP COMMAND"));
                        }
                    }
                }
            }
            for (Markdown.Span span : Markdown.spans(text)) {
                Matcher m = SPAN_COMMAND.matcher(span.text());
                if (m.find()) {
                    commands.add(new Command(doc, span.line(), Markdown.words(m.group(1)), 0));
                }
            }
        }
        return commands;
    }

    /** "exit status N" in the paragraph right after the block, else 0. */
    private static int expectedExit(String text, Markdown.Block block) {
        String after = text.substring(block.end()).stripLeading();
        Matcher m = EXIT.matcher(after.split("\n\n", 2)[0]);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    void skippedCommandsAreOnlySetUp() throws IOException {
        List<String> skipped = new ArrayList<>();
        commands(skipped);
        System.out.println("CLI examples skipped (set-up and install):\n  " + String.join("\n  ", skipped));
        assertThat(skipped).as("commands of the docs that are neither segmind commands nor set-up").noneMatch(s -> s.endsWith("NOT A SET-UP COMMAND"));
    }

    @TestFactory
    Stream<DynamicTest> everySegmindCommandOfTheDocsRunsAgainstTheFake() throws IOException {
        List<Command> commands = commands(new ArrayList<>());
        assertThat(commands).as("segmind commands found in " + DOCS).hasSizeGreaterThanOrEqualTo(5);
        return commands.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertTimeoutPreemptively(BOUND, () -> run(c))));
    }

    private static void run(Command command) throws IOException {
        List<String> args = new ArrayList<>(command.words().subList(1, command.words().size()));
        if (args.stream().anyMatch(a -> PLACEHOLDER_ID.matcher(a).matches())) {
            String id = completedJob();
            args.replaceAll(a -> PLACEHOLDER_ID.matcher(a).matches() ? id : a);
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (!args.contains("--fake")) {
            env.put("SEGMIND_BASE_URL", server.baseUrl().toString());
            env.put("SEGMIND_API_KEY", tenant.apiKey());
        }
        int out = args.indexOf("--out");
        Path file = out >= 0 && out + 1 < args.size() ? Paths.get(args.get(out + 1)).toAbsolutePath() : null;
        if (file != null) {
            Files.deleteIfExists(file);
        }
        Run run = cli(env, args.toArray(String[]::new));
        assertThat(run.exitCode).as(command.name() + " ran as " + args + "\n" + run).isEqualTo(command.expectedExit());
        if (file != null) {
            assertThat(file).as(command.name() + " writes its --out file\n" + run).isNotEmptyFile();
        }
    }

    /** A job on the in-process fake, complete at once (zero timeline), submitted through the CLI itself. */
    private static String completedJob() {
        Run run = cli(Map.of("SEGMIND_BASE_URL", server.baseUrl().toString(), "SEGMIND_API_KEY", tenant.apiKey()),
                "style-transfer", "--style-image", "cli/samples/style.png", "--prompt", "a lighthouse at dusk", "--no-wait");
        assertThat(run.exitCode).as("submitting a job for the docs' placeholder id\n" + run).isZero();
        String id = run.out.strip();
        assertThat(id).as("--no-wait prints the request id").matches("[0-9a-f-]{36}");
        return id;
    }

    private record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Run cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SegmindCli.builder().env(env).out(out).err(err).terminal(false).terminalWidth(200).timeSource(TimeSource.system())
                .embeddedFakeTimeline(Duration.ZERO, Duration.ZERO).build().execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
