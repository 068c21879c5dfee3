package dev.segmindkit.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The fixture most of these tests share: one server per class (serving {@code flux-schnell}
 * besides the spec's two models), plain HTTP to it, and per test a fresh tenant on its own
 * {@link ManualClock}. One instance per class keeps each class's server its own, as classes run
 * in parallel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnManualClockTest {
    FakeSegmindServer server;
    Http http;
    ManualClock clock;
    Tenant tenant;

    @BeforeAll
    void startServer() {
        server = FakeSegmindServer.builder().model("flux-schnell").start();
        http = new Http(server);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void newTenant() {
        clock = new ManualClock();
        tenant = server.newTenant(clock);
    }
}
