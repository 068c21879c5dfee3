package dev.segmindkit.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small annotated suites through JUnit itself (EngineTestKit), to see what the extension
 * injects, that parallel tests get their own tenants, and that JUnit closes what it made.
 */
class SegmindFakeServerExtensionTest {
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static HttpResponse<String> get(FakeSegmindServer server, String path, String key) {
        try {
            return HTTP.send(HttpRequest.newBuilder(server.baseUrl().resolve(path)).header("x-api-key", key).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String submit(FakeSegmindServer server, Tenant tenant) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.baseUrl().resolve("/v2/style-transfer"))
                    .header("x-api-key", tenant.apiKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"style_image\": \"x\", \"width\": 8, \"height\": 8}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body().replaceAll(".*\"request_id\":\"([^\"]+)\".*", "$1");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static EngineExecutionResults run(Class<?> suite) {
        SEEN.clear();
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .selectors(selectClass(suite))
                .execute();
    }

    @SegmindFakeServer(time = SegmindFakeServer.Time.MANUAL)
    @Execution(ExecutionMode.CONCURRENT)
    static class ManualSuite {
        @BeforeAll
        static void beforeAll(FakeSegmindServer server) {
            SEEN.put("server", server);
        }

        @BeforeEach
        void beforeEach(Tenant tenant, TestInfo info) {
            SEEN.put(info.getTestMethod().orElseThrow().getName() + "/before", tenant);
        }

        @Test
        void one(FakeSegmindServer server, Tenant tenant, ManualClock clock, TestInfo info) {
            check(server, tenant, clock, info);
        }

        @Test
        void two(FakeSegmindServer server, Tenant tenant, ManualClock clock, TestInfo info) {
            check(server, tenant, clock, info);
        }

        @Test
        void three(FakeSegmindServer server, Tenant tenant, ManualClock clock, TestInfo info) {
            check(server, tenant, clock, info);
        }

        private static void check(FakeSegmindServer server, Tenant tenant, ManualClock clock, TestInfo info) {
            assertThat(server).isSameAs(SEEN.get("server"));
            assertThat(tenant).isSameAs(SEEN.get(info.getTestMethod().orElseThrow().getName() + "/before"));
            assertThat(clock).isSameAs(tenant.clock());
            String id = submit(server, tenant);
            clock.advance(Duration.ofSeconds(3));
            assertThat(get(server, "/v2/requests/" + id + "/status", tenant.apiKey()).body()).contains("PROCESSING");
            assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(3));
            SEEN.put(info.getTestMethod().orElseThrow().getName(), tenant);
        }

        @Nested
        class Inner {
            @Test
            void nested(FakeSegmindServer server, Tenant tenant) {
                assertThat(server).isSameAs(SEEN.get("server"));
                SEEN.put("nested", tenant);
            }
        }
    }

    @Test
    void eachClassGetsOneStartedServerAndEachTestItsOwnTenantAndClockEvenInParallel() {
        Events tests = run(ManualSuite.class).testEvents();

        tests.assertStatistics(s -> s.started(4).succeeded(4).failed(0));
        Set<Object> tenants = Set.of(SEEN.get("one"), SEEN.get("two"), SEEN.get("three"), SEEN.get("nested"));
        assertThat(tenants).hasSize(4);
    }

    @Test
    void junitClosesTheServerAndRevokesTheTenantsWhenTheyAreDone() {
        run(ManualSuite.class);
        FakeSegmindServer server = (FakeSegmindServer) SEEN.get("server");
        Tenant tenant = (Tenant) SEEN.get("one");

        assertThat(tenant.toString()).endsWith(", revoked]");
        assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/get-user-credits")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @SegmindFakeServer(time = SegmindFakeServer.Time.AUTO_ADVANCE, autoAdvanceStep = "PT10S")
    static class AutoAdvanceSuite {
        @Test
        void pollsMoveTime(FakeSegmindServer server, Tenant tenant, ManualClock clock) {
            String id = submit(server, tenant);
            assertThat(get(server, "/v2/requests/" + id + "/status", tenant.apiKey()).body()).contains("PROCESSING");
            assertThat(get(server, "/v2/requests/" + id + "/status", tenant.apiKey()).body()).contains("COMPLETED");
            assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(20));
        }
    }

    @Test
    void autoAdvanceMovesEachTestsClockOnEveryPoll() {
        run(AutoAdvanceSuite.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @SegmindFakeServer
    static class RealTimeSuite {
        @Test
        void wantsAClock(ManualClock clock) {
            // never runs: the parameter cannot be resolved
        }

        @Test
        void usesRealTime(Tenant tenant) {
            assertThat(tenant.clock()).isSameAs(dev.segmindkit.core.TimeSource.system());
        }
    }

    @Test
    void aManualClockParameterOnRealTimeFailsWithAMessageSayingWhy() {
        Events tests = run(RealTimeSuite.class).testEvents();

        tests.assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(tests.failed().stream().map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage()).findFirst().orElseThrow())
                .contains("a ManualClock parameter needs @SegmindFakeServer(time = MANUAL or AUTO_ADVANCE)");
    }

    @SegmindFakeServer(time = SegmindFakeServer.Time.AUTO_ADVANCE, autoAdvanceStep = "ten seconds")
    static class BadStepSuite {
        @Test
        void test(Tenant tenant) {
            // never runs
        }
    }

    @Test
    void anUnreadableStepFailsWithAMessageSayingWhy() {
        Events tests = run(BadStepSuite.class).testEvents();

        tests.assertStatistics(s -> s.failed(1));
        assertThat(tests.failed().stream().map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage()).findFirst().orElseThrow())
                .contains("autoAdvanceStep) must be an ISO-8601 duration such as PT5S, got \"ten seconds\"");
    }
}
