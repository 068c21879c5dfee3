package dev.segmindkit.testkit;

import static dev.segmindkit.testkit.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One server, many tenants at once: each sees only its own jobs, scripts, faults, credits, clock and journal. */
class ParallelTenantsTest {
    @Test
    void tenantsRunningAtOnceNeverSeeEachOthersJobsFaultsOrTime() throws Exception {
        int tenants = 16;
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Http http = new Http(server);
            ExecutorService pool = Executors.newFixedThreadPool(tenants);
            try {
                List<Future<Tenant>> done = new ArrayList<>();
                for (int t = 0; t < tenants; t++) {
                    int n = t;
                    Callable<Tenant> work = () -> {
                        ManualClock clock = new ManualClock();
                        Tenant tenant = server.newTenant(clock).credits(1);
                        boolean failing = n % 2 == 0;
                        tenant.scriptNext("style-transfer", 3, failing ? JobScript.fails("tenant " + n) : JobScript.completes());
                        if (n % 3 > 0) {
                            tenant.inject(Phase.STATUS, Fault.status(503).times(n % 3));
                        }
                        List<String> ids = new ArrayList<>();
                        for (int j = 0; j < 3; j++) {
                            ids.add(http.submit(tenant, Http.SMALL));
                        }
                        for (String id : ids) {
                            String state = "QUEUED";
                            while (!state.equals("COMPLETED") && !state.equals("FAILED")) {
                                HttpResponse<byte[]> r = http.get("/v2/requests/" + id + "/status", tenant.apiKey());
                                if (r.statusCode() == 503) {
                                    continue;
                                }
                                state = json(r).get("status").asText();
                                if (state.equals("FAILED")) {
                                    assertThat(json(r).get("error").asText()).isEqualTo("tenant " + n);
                                }
                                clock.sleep(Duration.ofSeconds(1 + n));
                            }
                            assertThat(state).isEqualTo(failing ? "FAILED" : "COMPLETED");
                        }
                        assertThat(tenant.journal().entries(Phase.STATUS).stream().filter(e -> e.httpStatus() == 503)).hasSize(n % 3);
                        assertThat(tenant.journal().requestIds()).containsExactlyElementsOf(ids);
                        tenant.journal().assertPaidSubmits(3);
                        tenant.journal().assertNoPollAfterTerminal();
                        tenant.journal().assertPollSpacingAtLeast(Duration.ofSeconds(1 + n));
                        // Only completed jobs are charged, at style-transfer's price.
                        assertThat(tenant.credits()).isEqualTo(failing ? 1.0 : 1 - 3 * 0.0257, org.assertj.core.api.Assertions.within(1e-9));
                        return tenant;
                    };
                    done.add(pool.submit(work));
                }
                List<Tenant> all = new ArrayList<>();
                for (Future<Tenant> f : done) {
                    all.add(f.get(60, TimeUnit.SECONDS));
                }
                for (Tenant a : all) {
                    for (Tenant b : all) {
                        if (a != b) {
                            String foreign = b.journal().submittedRequestIds().get(0);
                            assertThat(http.get("/v2/requests/" + foreign, a.apiKey()).statusCode()).isEqualTo(404);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
