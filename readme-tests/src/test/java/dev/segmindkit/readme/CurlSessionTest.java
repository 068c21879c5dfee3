package dev.segmindkit.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The curl session of testkit/CURL_SESSION.md (and any {@code sh}/{@code bash}/{@code shell}/
 * {@code console} block of README.md and testkit/README.md that runs curl), run as written against
 * the standalone fake, with the output the document shows checked.
 *
 * <p>How a session is read: a line starting with {@code $ } is a command, the lines after it up to
 * the next command are what it printed. The command {@code java -jar ...-standalone.jar ... &}
 * starts the fake: the test starts that jar (the one the build just packaged, at the path the doc
 * names, relative to the project root) as its own process with the doc's options, except that
 * {@code --port} becomes 0, so it listens on a free loopback port; its banner is checked against
 * the doc's. A session without such a command gets a jar started with {@code --port 0}. Every other
 * command runs with {@code bash -c} (stdout and stderr together, as a terminal shows them), in a
 * temporary directory, with the variables earlier commands set ({@code export}, {@code ID=...})
 * carried over; it must exit 0. In commands and outputs the doc's port stands for the real one and
 * {@code /tmp/} for the temporary directory.
 *
 * <p>What is compared, line by line: a JSON line as JSON (same fields and values, any order); any
 * other line as text. Request ids (UUIDs) and timestamps are masked on both sides, and so is the
 * number of {@code Content-Length}, which follows the length of the port in the body's URLs.
 *
 * <p>Nothing sleeps: the documented session runs the fake on a manual clock and moves it through
 * the control API. Skipped: the whole test when {@code curl} or {@code bash} is not on the PATH;
 * a {@code file} command when {@code file} is not (each said on stdout).
 */
class CurlSessionTest {
    private static final List<String> SHELL = List.of("sh", "bash", "shell", "console");
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z");
    private static final Pattern LENGTH = Pattern.compile("(?i)^content-length: \\d+$");
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern DOC_PORT = Pattern.compile("(?:127\\.0\\.0\\.1|localhost):(\\d+)");

    /** One command of a session and the lines the doc shows it printed. */
    record Step(String command, List<String> output, int line) {
    }

    @TestFactory
    Stream<DynamicTest> everyCurlSessionOfTheDocsRunsAgainstTheStandaloneFake() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String doc : List.of("testkit/CURL_SESSION.md", "README.md", "testkit/README.md")) {
            String text = Files.readString(ReadmeExamplesTest.root().resolve(doc), StandardCharsets.UTF_8);
            for (Markdown.Block block : Markdown.blocks(text)) {
                boolean session = doc.endsWith("CURL_SESSION.md") ? block.body().contains("$ ")
                        : SHELL.contains(block.language()) && block.body().contains("curl ");
                if (session) {
                    List<Step> steps = steps(block);
                    String name = doc + " block at line " + block.line() + " (" + steps.size() + " commands)";
                    tests.add(DynamicTest.dynamicTest(name, () -> {
                        assumeTrue(onPath("curl") && onPath("bash"), "curl and bash run the documented session; not on the PATH here");
                        assertTimeoutPreemptively(BOUND, () -> run(name, steps));
                    }));
                }
            }
        }
        assertThat(tests).as("curl sessions found (testkit/CURL_SESSION.md has one)").isNotEmpty();
        return tests.stream();
    }

    /** A block as commands and outputs; a block without {@code $ } prompts is all commands. */
    static List<Step> steps(Markdown.Block block) {
        List<Step> steps = new ArrayList<>();
        String[] lines = block.body().split("\n");
        boolean prompts = block.body().lines().anyMatch(l -> l.startsWith("$ "));
        String command = null;
        int at = 0;
        List<String> output = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!prompts || line.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(command, trimmed(output), at));
                }
                command = prompts ? line.substring(2).strip() : line.strip();
                at = block.line() + 1 + i;
                output = new ArrayList<>();
                if (command.isEmpty() || command.startsWith("#")) {
                    command = null;
                }
            } else if (command != null) {
                output.add(line);
            }
        }
        if (command != null) {
            steps.add(new Step(command, trimmed(output), at));
        }
        return steps;
    }

    private static List<String> trimmed(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static void run(String name, List<Step> steps) throws Exception {
        Path dir = Files.createTempDirectory("curl-session");
        Path state = dir.resolve(".session-env");
        Step start = steps.stream().filter(s -> s.command().startsWith("java -jar ") && s.command().endsWith("&")).findFirst().orElse(null);
        List<String> args = new ArrayList<>();
        String docPort = null;
        Path jar;
        if (start != null) {
            List<String> words = Markdown.words(start.command().substring(0, start.command().length() - 1));
            jar = ReadmeExamplesTest.root().resolve(words.get(2));
            for (int i = 3; i < words.size(); i++) {
                if (words.get(i).equals("--port") && i + 1 < words.size()) {
                    docPort = words.get(++i);
                    args.addAll(List.of("--port", "0"));
                } else {
                    args.add(words.get(i));
                }
            }
        } else {
            jar = ReadmeExamplesTest.root().resolve("testkit/target/segmindkit-testkit-0.1.0-SNAPSHOT-standalone.jar");
            args.addAll(List.of("--port", "0"));
        }
        if (docPort == null) {
            docPort = steps.stream().map(s -> DOC_PORT.matcher(s.command())).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElse("8080");
        }
        if (!args.contains("--port")) {
            args.addAll(List.of("--port", "0"));
        }
        assertThat(jar).as(name + ": the standalone jar the doc runs, built by the testkit module before this test").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(args);
        Process fake = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            BufferedReader banner = new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
            List<String> printed = new ArrayList<>();
            String port = null;
            for (String line; (line = banner.readLine()) != null; ) {
                printed.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = m.group(1);
                }
                if (line.startsWith("control API: ")) {
                    break;
                }
            }
            assertThat(port).as(name + ": the fake's banner\n" + String.join("\n", printed)).isNotNull();
            Thread drain = new Thread(() -> drain(fake.getInputStream()), "curl-session-fake-output");
            drain.setDaemon(true);
            drain.start();
            String tmp = dir.toString() + "/";
            for (Step step : steps) {
                String where = name + ", line " + step.line() + ": $ " + step.command();
                if (step == start) {
                    compare(where, step.output(), printed, port, docPort, tmp);
                    continue;
                }
                if (step.command().startsWith("file ") && !onPath("file")) {
                    System.out.println("SKIPPED " + where + ": `file` is not on the PATH");
                    continue;
                }
                String cmd = step.command().replace(":" + docPort, ":" + port).replace("/tmp/", tmp);
                ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                        "set -a; [ -f \"$2\" ] && . \"$2\" 2>/dev/null; eval \"$1\" 2>&1; rc=$?; export -p > \"$2\"; exit $rc", "session", cmd, state.toString())
                        .directory(dir.toFile());
                pb.environment().remove("SEGMIND_API_KEY");
                pb.environment().remove("SEGMIND_BASE_URL");
                Process p = pb.start();
                p.getOutputStream().close();
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
                String out = read(p.getInputStream());
                assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as(where + " finishes").isTrue();
                assertThat(p.exitValue()).as(where + " exits 0; printed:\n" + out + err.get()).isZero();
                compare(where, step.output(), trimmed(List.of(out.replace("\r", "").split("\n", -1))), port, docPort, tmp);
            }
        } finally {
            fake.destroy();
            if (!fake.waitFor(10, TimeUnit.SECONDS)) {
                fake.destroyForcibly();
            }
        }
    }

    private static void compare(String where, List<String> expected, List<String> actual, String port, String docPort, String tmp) {
        List<String> got = actual.stream().map(l -> mask(l.replace(":" + port, ":" + docPort).replace(tmp, "/tmp/"))).toList();
        List<String> want = expected.stream().map(CurlSessionTest::mask).toList();
        String both = "\n--- the doc shows\n" + String.join("\n", expected) + "\n--- printed (port and paths put back)\n" + String.join("\n", got);
        assertThat(got).as(where + ": lines printed" + both).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            String g = got.get(i);
            if (w.startsWith("{") || w.startsWith("[")) {
                assertThat(json(g, where + both)).as(where + ", output line " + (i + 1) + both).isEqualTo(json(w, where + " (the doc's line)"));
            } else {
                assertThat(g).as(where + ", output line " + (i + 1) + both).isEqualTo(w);
            }
        }
    }

    private static String mask(String line) {
        String masked = INSTANT.matcher(UUID.matcher(line).replaceAll("<id>")).replaceAll("<time>");
        return LENGTH.matcher(masked).matches() ? masked.replaceAll("\\d+$", "<n>") : masked;
    }

    private static JsonNode json(String line, String where) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(where + ": not JSON: " + line, e);
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Paths.get(d, program)));
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drain(InputStream in) {
        try (in) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the fake was stopped
        }
    }
}
