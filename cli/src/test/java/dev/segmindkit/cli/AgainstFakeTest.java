package dev.segmindkit.cli;

import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The fixture the command tests share: a fake server per class standing in for the real API
 * (serving {@code flux-schnell} too), and per test a fresh tenant on its own {@link ManualClock}
 * that the CLI under test shares. One instance per class keeps each class's server its own, as
 * classes run in parallel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgainstFakeTest {
    FakeSegmindServer server;
    ManualClock clock;
    Tenant tenant;
    CliHarness cli;

    @BeforeAll
    void startServer() {
        server = FakeSegmindServer.builder().model("flux-schnell").start();
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void newTenant() {
        clock = new ManualClock();
        tenant = server.newTenant(clock);
        cli = CliHarness.against(server.baseUrl().toString(), tenant.apiKey(), clock);
    }
}
