package dev.segmindkit.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Forks {@code java --module-path ... --module dev.segmindkit.modulepath/...} with the app's
 * runtime dependencies only, as a modular user would, and with no {@code --add-modules} or
 * {@code --add-opens}: every module the SDK needs must be reachable from its descriptors.
 */
class ModulePathAppTest {
    @Test
    void bothClientsAndTheTestkitRunOnTheModulePath() throws IOException, InterruptedException {
        String deps = Files.readString(Path.of(System.getProperty("modulepath.file")), StandardCharsets.UTF_8).trim();
        String modulePath = System.getProperty("modulepath.app") + File.pathSeparator + deps;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "--module-path", modulePath, "--module", "dev.segmindkit.modulepath/dev.segmindkit.modulepath.ModulePathApp"));
        Path log = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "module-path-app", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(2, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);

        assertThat(exited).as("the app exits within 2 minutes; it printed:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("exit code; the app printed:%n%s", output).isZero();
        assertThat(output)
                .contains("module dev.segmindkit.core\n", "module dev.segmindkit.sync\n", "module dev.segmindkit.reactive\n",
                        "module dev.segmindkit.testkit\n", "module dev.segmindkit.modulepath\n")
                .contains("internal packages closed")
                .contains("blocking COMPLETED 1", "reactive COMPLETED 1")
                .endsWith("module path OK\n");
    }
}
