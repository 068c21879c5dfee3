package dev.segmindkit.bench.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The testkit's standalone fake server in a process of its own, so that the harness JVM's process
 * CPU time is the client's alone, driven through its JSON control API under {@code /__fake/}.
 *
 * <p>Either {@link #start} launches the jar (found with {@link #jar()}) and {@link #close} stops
 * it, or {@link #connect} talks to one already running (then {@code close} leaves it alone).
 */
public final class ExternalFake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final URI baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ExternalFake(Process process, URI baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * The standalone jar: the {@code segmindkit.fakeJar} system property, else {@code
     * testkit/target/segmindkit-testkit-*-standalone.jar} under the working directory.
     *
     * @throws IllegalStateException if there is none, saying how to build it
     */
    public static Path jar() {
        String property = System.getProperty("segmindkit.fakeJar");
        if (property != null) {
            return Paths.get(property);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Paths.get("testkit", "target"), "segmindkit-testkit-*-standalone.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (IOException e) {
            // no target folder: reported below
        }
        throw new IllegalStateException("no testkit/target/segmindkit-testkit-*-standalone.jar under " + Paths.get("").toAbsolutePath()
                + ": build it with ./mvnw -B -q -pl testkit,bench -am package -DskipTests, run from the repository root, or pass"
                + " -Dsegmindkit.fakeJar=<path>");
    }

    /**
     * Starts the fake on a free loopback port with the same {@code java} that runs this JVM, real
     * time, and {@code flux-schnell} served besides the spec's models.
     *
     * @param jvmOptions options for the fake's JVM, such as {@code -Xmx1g}
     */
    public static ExternalFake start(List<String> jvmOptions) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString(), "--port", "0", "--model", "flux-schnell"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake: " + command, e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    // A harness stopped with Ctrl-C or kill takes its fake with it.
                    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "fake-stop"));
                    Thread drain = new Thread(() -> drain(out), "fake-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return new ExternalFake(process, URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("the fake did not start", e);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the fake exited before listening: " + command);
    }

    /** A fake already running at {@code baseUrl}, with its control API on. */
    public static ExternalFake connect(URI baseUrl) {
        return new ExternalFake(null, baseUrl);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // the fake prints its key and clock; nothing to keep
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The fake's process id, if this object started it. */
    public java.util.OptionalLong pid() {
        return process == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(process.pid());
    }

    /** Where the fake listens, such as {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * A new tenant with the given JSON settings (see the testkit's {@code ControlApi}), and its API
     * key.
     */
    public String newTenant(String settingsJson) {
        return control("POST", "/tenants", settingsJson).get("api_key").asText();
    }

    /** The tenant's journal as counts: {@code requests}, {@code phases.STATUS}, {@code http_statuses.200}. */
    public JsonNode journalCounts(String apiKey) {
        return control("GET", "/tenants/" + apiKey + "/journal/counts", null);
    }

    /** Revokes a tenant, which also frees its journal and jobs for the next run. */
    public void revoke(String apiKey) {
        control("DELETE", "/tenants/" + apiKey, null);
    }

    private JsonNode control(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve("/__fake" + path)).timeout(Duration.ofSeconds(60));
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " /__fake" + path + " answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " /__fake" + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the fake if this object started it. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
