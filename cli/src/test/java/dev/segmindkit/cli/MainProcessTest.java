package dev.segmindkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segmindkit.core.TimeSource;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.Tenant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Main} in a process of its own, as a shell runs it: the exit code reaches the shell, and a
 * real Ctrl-C (SIGINT) goes through the shutdown hook, which lets the command print the resume
 * command before the JVM ends. Linux only (it signals with kill and reads /proc).
 */
class MainProcessTest {
    private static FakeSegmindServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = FakeSegmindServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Process launch(Tenant tenant, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("SEGMIND_BASE_URL", server.baseUrl().toString());
        pb.environment().put("SEGMIND_API_KEY", tenant.apiKey());
        return pb.start();
    }

    @Test
    void theExitCodeReachesTheShell() throws Exception {
        Process p = launch(server.newTenant(), "status", "0b6ce9b4-0000-0000-0000-000000000000");

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("segmind: not found:");
    }

    @Test
    void sigintStopsWaitingAndPrintsTheResumeCommand() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc and kill");
        Tenant tenant = server.newTenant(TimeSource.system());
        tenant.scriptNext("style-transfer", JobScript.completes().queuedFor(Duration.ZERO).processingFor(Duration.ofMinutes(5)));
        Process p = launch(tenant, "style-transfer", "--style-image", CliHarness.SAMPLE.toString(), "--out", dir.resolve("x.webp").toString());
        StringBuilder err = new StringBuilder();
        CountDownLatch submitted = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (err) {
                        err.append(line).append('\n');
                    }
                    if (line.contains("submitted style-transfer job")) {
                        submitted.countDown();
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(submitted.await(30, TimeUnit.SECONDS)).as("the job was submitted").isTrue();

        // A shell without job control starts background processes with SIGINT ignored; SIGTERM then
        // takes the same path (the shutdown hook), with its own exit status.
        boolean intIgnored = sigintIgnored(p.pid());
        new ProcessBuilder("kill", intIgnored ? "-TERM" : "-INT", String.valueOf(p.pid())).start().waitFor();

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.get(10, TimeUnit.SECONDS);
        assertThat(p.exitValue()).isEqualTo(intIgnored ? 143 : ExitCode.INTERRUPTED);
        String id = tenant.journal().submittedRequestIds().get(0);
        assertThat(err.toString()).contains("stopped waiting for job " + id)
                .contains("  segmind result " + id + " --wait --out " + dir.resolve("x.webp"));
    }

    private static boolean sigintIgnored(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
