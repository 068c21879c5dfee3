package dev.segmindkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The standalone entry point, started as its own process as a non-JVM user would. */
class StandaloneTest {
    @Test
    void theMainClassServesTheApiAndTheControlApiOnTheChosenPort() throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.segmindkit.testkit.internal.Standalone", "--port", "0", "--api-key", "SG_1234567890abcdef", "--time", "manual")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).startsWith("segmindkit fake Segmind server listening on http://127.0.0.1:");
            assertThat(out.readLine()).isEqualTo("API key: SG_1234567890abcdef");
            URI base = URI.create(first.substring(first.indexOf("http://")));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            HttpResponse<String> credits = http.send(HttpRequest.newBuilder(base.resolve("/v1/get-user-credits"))
                    .header("x-api-key", "SG_1234567890abcdef").build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> advanced = http.send(HttpRequest.newBuilder(base.resolve("/__fake/clock/advance"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"by\": \"PT1H\"}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(credits.body()).isEqualTo("{\"credits\":100,\"free-credits\":0}");
            assertThat(advanced.statusCode()).isEqualTo(200);
            assertThat(advanced.body()).contains("\"manual\":true");
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWrongOptionExitsWithUsage() throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.segmindkit.testkit.internal.Standalone", "--time", "sometimes").redirectErrorStream(true).start();

        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("error: --time is real, manual or auto=STEP, not sometimes").contains("usage: java -jar");
    }
}
