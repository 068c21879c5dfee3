package dev.segmindkit.bench.fake;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Status-endpoint throughput of the testkit's fake against WireMock 3 serving an equivalent stub,
 * in the same JMH run, with the same clients: {@code socket} (one persistent HTTP/1.1 connection
 * per benchmark thread, the lightest client, so the figure is about the server) and {@code jdk}
 * (one shared {@code java.net.http.HttpClient} on HTTP/1.1, a typical test client). Each operation
 * is one {@code GET /v2/requests/{id}/status} with the key and an Accept header, answered 200 with
 * the PROCESSING body; anything else fails the run. Client and server share the JVM and its cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(4)
public class StatusThroughput {

    /** The server under test and the shared client. */
    @State(Scope.Benchmark)
    public static class Server {
        @Param({StatusServer.FAKE, StatusServer.WIREMOCK})
        public String server;

        StatusServer running;
        byte[] request;
        byte[] expected;
        HttpClient http;
        HttpRequest httpRequest;

        @Setup(Level.Trial)
        public void start() throws Exception {
            running = StatusServer.start(server);
            request = KeepAliveConnection.get(running.port(), running.statusPath(), StatusServer.headerLines());
            expected = StatusServer.processingBody(running.port(), running.jobId()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            httpRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + running.statusPath()))
                    .header("x-api-key", StatusServer.API_KEY).header("Accept", "application/json").GET().build();
            // Both servers must answer exactly the same body before anything is measured.
            try (KeepAliveConnection c = new KeepAliveConnection(running.port())) {
                check(c.exchange(request).body);
                KeepAliveConnection.Answer noKey = c.exchange(KeepAliveConnection.get(running.port(), running.statusPath(), "x-api-key: SG_wrong"));
                if (noKey.status != 401) {
                    throw new IllegalStateException(server + " answered " + noKey.status + " to a wrong key, not 401");
                }
            }
        }

        void check(byte[] body) {
            if (!Arrays.equals(body, expected)) {
                throw new IllegalStateException(server + " answered " + new String(body, java.nio.charset.StandardCharsets.UTF_8)
                        + ", not " + new String(expected, java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            running.close();
        }
    }

    /** One persistent connection per benchmark thread. */
    @State(Scope.Thread)
    public static class Connection {
        KeepAliveConnection connection;

        @Setup(Level.Trial)
        public void open(Server server) throws IOException {
            connection = new KeepAliveConnection(server.running.port());
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            connection.close();
        }
    }

    /** One status poll on this thread's own connection. */
    @Benchmark
    public int socket(Server server, Connection connection) throws IOException {
        KeepAliveConnection.Answer answer = connection.connection.exchange(server.request);
        if (answer.status != 200 || answer.body.length != server.expected.length) {
            throw new IllegalStateException(server.server + " answered " + answer.status + " " + answer.text());
        }
        return answer.body.length;
    }

    /** One status poll through the shared JDK client. */
    @Benchmark
    public int jdk(Server server) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = server.http.send(server.httpRequest, HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200 || answer.body().length != server.expected.length) {
            throw new IllegalStateException(server.server + " answered " + answer.statusCode() + " " + new String(answer.body(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return answer.body().length;
    }
}
