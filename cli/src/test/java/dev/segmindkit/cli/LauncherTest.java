package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code segmind} launcher, run by {@code sh} as a process against the built jar, as a
 * user runs it: from {@code cli/target/}, installed by the README's install command, and through a
 * symbolic link. Runs in the integration-test phase, after package (the surefire execution
 * {@code launcher} in cli/pom.xml points it at the build directory).
 */
class LauncherTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static Path target;

    @TempDir
    Path dir;

    /** What one process did. */
    private static final class Result {
        final int exitCode;
        final String out;
        final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void builtLauncher() {
        String built = System.getProperty("segmind.launcher.dir");
        assumeTrue(built != null, "runs after package, in the surefire execution 'launcher'");
        target = Path.of(built);
        assumeTrue(HelpAndCompletionTest.onPath("sh"), "needs sh");
    }

    /** {@code sh LAUNCHER ARGS} in {@code cwd}, with no key in its environment and {@code extraEnv} added. */
    private static Result sh(Path cwd, Map<String, String> extraEnv, String launcher, String... args) {
        return assertTimeoutPreemptively(BOUND, () -> {
            List<String> command = new ArrayList<>(List.of("sh", launcher));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
            pb.environment().remove("SEGMIND_API_KEY");
            pb.environment().remove("SEGMIND_BASE_URL");
            pb.environment().remove("SEGMIND_JAR");
            pb.environment().remove("JAVA_OPTS");
            pb.environment().putAll(extraEnv);
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return new Result(p.exitValue(), out, err.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        });
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path moduleDir() {
        return target.getParent();
    }

    @Test
    void theLaunchersAreBuiltNextToTheJar() throws IOException {
        assertThat(target.resolve("segmind.jar")).isRegularFile();
        assertThat(Files.isExecutable(target.resolve("segmind"))).as("cli/target/segmind is executable").isTrue();
        assertThat(Files.readString(target.resolve("segmind"))).startsWith("#!/bin/sh\n").doesNotContain("\r");
        String cmd = Files.readString(target.resolve("segmind.cmd"));
        assertThat(cmd).startsWith("@echo off\r\n").contains("segmind.jar").doesNotContainPattern("[^\r]\n");
    }

    @Test
    void theBuiltLauncherRunsTheBuiltJar() {
        Result r = sh(moduleDir(), Map.of(), target.resolve("segmind").toString(), "--version");

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).startsWith("segmind (segmindkit) ").doesNotContain("development build");
    }

    @Test
    void theMainJobRunsOnTheFakeThroughTheLauncher() throws IOException {
        Path out = dir.resolve("out.webp");

        Result r = sh(moduleDir(), Map.of(), target.resolve("segmind").toString(), "style-transfer", "--fake", "--style-image",
                CliHarness.SAMPLE.toString(), "--width", "48", "--height", "48", "--out", out.toString());

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out.strip()).isEqualTo(out.toString());
        assertThat(Images.decode(out, "webp").getWidth()).isEqualTo(48);
    }

    @Test
    void exitCodesReachTheShell() {
        String launcher = target.resolve("segmind").toString();

        assertThat(sh(moduleDir(), Map.of(), launcher, "credits").exitCode).as("no key, no terminal").isEqualTo(ExitCode.NO_KEY);
        assertThat(sh(moduleDir(), Map.of(), launcher, "status", "0b6ce9b4-0000-0000-0000-000000000000", "--fake").exitCode)
                .isEqualTo(ExitCode.NOT_FOUND);
        assertThat(sh(moduleDir(), Map.of(), launcher, "no-such-command").exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(sh(moduleDir(), Map.of(), launcher, "help", "credits").exitCode).isZero();
    }

    @Test
    void theReadmesInstallCommandPutsSegmindOnThePath() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path repo = moduleDir().getParent();
        String install = Files.readAllLines(repo.resolve("README.md")).stream().filter(l -> l.startsWith("mkdir -p ~/.local/bin"))
                .findFirst().orElseThrow(() -> new AssertionError("the README has no install command"));

        Result installed = assertTimeoutPreemptively(BOUND, () -> {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", install).directory(repo.toFile());
            pb.environment().put("HOME", home.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = read(p.getInputStream()) + read(p.getErrorStream());
            assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return new Result(p.exitValue(), out, "");
        });
        assertThat(installed.exitCode).as(installed.toString()).isZero();

        Path bin = home.resolve(".local/bin");
        assertThat(Files.isExecutable(bin.resolve("segmind"))).isTrue();
        Result onPath = sh(dir, Map.of("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"), "HOME", home.toString()),
                "-c", "segmind help status");
        assertThat(onPath.exitCode).as(onPath.toString()).isZero();
        assertThat(onPath.out).contains("Usage: segmind status");
    }

    @Test
    void aSymbolicLinkToTheInstalledLauncherFindsTheJar() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("prefix/bin"));
        Path share = Files.createDirectories(dir.resolve("prefix/share/segmindkit"));
        Files.copy(target.resolve("segmind"), bin.resolve("segmind"));
        Files.copy(target.resolve("segmind.jar"), share.resolve("segmind.jar"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(elsewhere.resolve("sg"), Path.of("../prefix/bin/segmind"));

        Result r = sh(dir, Map.of(), elsewhere.resolve("sg").toString(), "--version");

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).startsWith("segmind (segmindkit) ");
    }

    @Test
    void withoutTheJarTheLauncherSaysWhereItLooked() throws IOException {
        Path lonely = Files.createDirectories(dir.resolve("lonely"));
        Files.copy(target.resolve("segmind"), lonely.resolve("segmind"));

        Result r = sh(dir, Map.of(), lonely.resolve("segmind").toString(), "--version");

        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.err).contains("segmind.jar not found").contains(lonely.toRealPath().toString()).contains("SEGMIND_JAR");
    }

    @Test
    void javaHomeAndJavaOptsAndSegmindJarAreHonoured() throws IOException {
        // A java that only reports how it was called: proves which java runs, with which words.
        Path fakeHome = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = fakeHome.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done\necho\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(dir.resolve("other.jar"), "not really a jar");

        Result r = sh(dir, Map.of("JAVA_HOME", dir.resolve("jdk").toString(), "JAVA_OPTS", "-Xmx64m -Dsegmind.x=1",
                "SEGMIND_JAR", jar.toString()), target.resolve("segmind").toString(), "style-transfer", "--prompt", "a red fox");

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out.strip()).isEqualTo("[-Xmx64m][-Dsegmind.x=1][-jar][" + jar + "][style-transfer][--prompt][a red fox]");
    }
}
