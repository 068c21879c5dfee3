package dev.segmindkit.bench.fake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;

/**
 * A server answering {@code GET /v2/requests/{id}/status} for one PROCESSING job: the testkit's
 * fake, or WireMock 3 with an equivalent stub (same path pattern, same JSON body and Content-Type,
 * the same key check with the fake's 401 body otherwise). Both listen on a free loopback port.
 */
abstract class StatusServer implements AutoCloseable {
    /** The servers compared, by the names the benchmarks take as parameters. */
    static final String FAKE = "fake";
    static final String WIREMOCK = "wiremock";
    /** WireMock without its request journal: its best case, to show the journal is not what slows it. */
    static final String WIREMOCK_NO_JOURNAL = "wiremock-nojournal";

    static final String API_KEY = "SG_0123456789abcdef";
    /** WireMock serves this job; the fake makes up its own id. */
    static final String WIREMOCK_JOB = "3f0c2a8e-5b1d-4c7e-9a6f-2d8b7e1c4a90";

    /**
     * The fake's body for a PROCESSING job that queued 2 s (the default on a ManualClock), with the
     * status and result URLs the service adds while a job runs, on the server's own base URL.
     */
    static String processingBody(int port, String id) {
        String base = "http://127.0.0.1:" + port + "/v2/requests/" + id;
        return "{\"request_id\":\"" + id + "\",\"status\":\"PROCESSING\",\"metrics\":{\"queue_time\":2.0},\"status_url\":\"" + base
                + "/status\",\"response_url\":\"" + base + "\"}";
    }

    /** {@link System#nanoTime()} once the server was constructed and listening, before its job or stub exists. */
    long listeningAt;

    abstract int port();

    abstract String jobId();

    /** The headers every client sends: the key and an Accept, as the SDK's clients do. */
    static String[] headerLines() {
        return new String[] {"x-api-key: " + API_KEY, "Accept: application/json"};
    }

    String statusPath() {
        return "/v2/requests/" + jobId() + "/status";
    }

    @Override
    public abstract void close();

    /** Starts the named server with its PROCESSING job in place. */
    static StatusServer start(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case FAKE:
                return new Fake();
            case WIREMOCK:
                return new WireMockStub(true);
            case WIREMOCK_NO_JOURNAL:
                return new WireMockStub(false);
            default:
                throw new IllegalArgumentException("server is 'fake', 'wiremock' or 'wiremock-nojournal', not '" + name + "'");
        }
    }

    /**
     * The testkit's fake on a ManualClock that never moves by itself, with one tenant and one job
     * submitted through the API and moved into PROCESSING: every poll answers the same body.
     */
    static final class Fake extends StatusServer {
        private final FakeSegmindServer server;
        private final String jobId;

        Fake() {
            ManualClock clock = new ManualClock();
            server = FakeSegmindServer.builder().clock(clock).start();
            listeningAt = System.nanoTime();
            server.newTenant(API_KEY);
            try (KeepAliveConnection c = new KeepAliveConnection(server.port())) {
                KeepAliveConnection.Answer submitted = c.exchange(KeepAliveConnection.postJson(server.port(), "/v2/style-transfer",
                        "{\"style_image\":\"https://example.com/style.png\"}", "x-api-key: " + API_KEY));
                String text = submitted.text();
                if (submitted.status != 200) {
                    throw new IllegalStateException("the fake refused the submit: " + submitted.status + " " + text);
                }
                int at = text.indexOf("\"request_id\":\"") + 14;
                jobId = text.substring(at, text.indexOf('"', at));
            } catch (IOException e) {
                server.close();
                throw new UncheckedIOException(e);
            }
            clock.advance(Duration.ofSeconds(3));
        }

        @Override
        int port() {
            return server.port();
        }

        @Override
        String jobId() {
            return jobId;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /**
     * WireMock 3 in its normal configuration: free loopback port, non-verbose console notifier (the
     * default), everything else default, the request journal included (unbounded, as by default:
     * bounding it makes every request count the whole journal, a queue whose size() is linear, so
     * a bound slows WireMock down as the journal fills).
     */
    static final class WireMockStub extends StatusServer {
        private final WireMockServer server;

        WireMockStub(boolean journal) {
            WireMockConfiguration options = WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                    .notifier(new ConsoleNotifier(false));
            server = new WireMockServer(journal ? options : options.disableRequestJournal());
            server.start();
            listeningAt = System.nanoTime();
            String pattern = "/v2/requests/[^/]+/status";
            server.stubFor(get(urlPathMatching(pattern)).withHeader("x-api-key", equalTo(API_KEY))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(processingBody(server.port(), WIREMOCK_JOB))));
            server.stubFor(get(urlPathMatching(pattern)).atPriority(10)
                    .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":\"Unauthorized. API key is invalid or may have expired\"}")));
        }

        @Override
        int port() {
            return server.port();
        }

        @Override
        String jobId() {
            return WIREMOCK_JOB;
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
