package dev.segmindkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal records what the client did; its assertions fail with plain sentences. */
class JournalTest extends OnManualClockTest {
    private void poll(String id) {
        http.get("/v2/requests/" + id + "/status", tenant.apiKey());
    }

    @Test
    void recordsEachRequestWithTheFakesTimeAndWhatWasAnswered() {
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofSeconds(3));
        poll(id);
        clock.advance(Duration.ofSeconds(30));
        http.get("/v2/requests/" + id, tenant.apiKey());

        List<Journal.Entry> entries = tenant.journal().entries();

        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).toString()).isEqualTo("2026-01-01T00:00:00Z SUBMIT POST /v2/style-transfer -> 200 QUEUED (paid)");
        assertThat(entries.get(1).toString()).isEqualTo("2026-01-01T00:00:03Z STATUS GET /v2/requests/" + id + "/status -> 200 PROCESSING");
        assertThat(entries.get(2).jobStatus()).hasValue("COMPLETED");
        assertThat(entries.get(2).model()).hasValue("style-transfer");
        assertThat(tenant.journal().submittedRequestIds()).containsExactly(id);
        assertThat(tenant.journal().requestIds()).containsExactly(id);
    }

    @Test
    void assertPaidSubmitsSaysHowManyTheClientMadeAndWhen() {
        String first = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofSeconds(1));
        String second = http.submit(tenant, Http.SMALL);

        tenant.journal().assertPaidSubmits(2);
        assertThatThrownBy(() -> tenant.journal().assertPaidSubmits(1)).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected exactly 1 paid submit, but the client made 2: " + first + " at 2026-01-01T00:00:00Z, "
                        + second + " at 2026-01-01T00:00:01Z.")
                .hasMessageContaining("Journal:");
    }

    @Test
    void assertNoPollAfterTerminalNamesTheLatePoll() {
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofMinutes(1));
        poll(id);
        http.get("/v2/requests/" + id, tenant.apiKey());
        tenant.journal().assertNoPollAfterTerminal();

        clock.advance(Duration.ofSeconds(1));
        poll(id);

        assertThatThrownBy(() -> tenant.journal().assertNoPollAfterTerminal()).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected no status poll after a terminal state, but job " + id
                        + " was polled at 2026-01-01T00:01:01Z after the client had been told it was COMPLETED at 2026-01-01T00:01:00Z.");
    }

    @Test
    void aTerminalAnswerTheClientNeverReceivedDoesNotCount() {
        String id = http.submit(tenant, Http.SMALL);
        clock.advance(Duration.ofMinutes(1));
        tenant.inject(Phase.STATUS, Fault.truncatedJson());
        poll(id);
        poll(id);

        tenant.journal().assertNoPollAfterTerminal();
    }

    @Test
    void assertPollSpacingNamesThePollThatCameTooSoon() {
        String id = http.submit(tenant, Http.SMALL);
        poll(id);
        clock.advance(Duration.ofSeconds(1));
        poll(id);
        clock.advance(Duration.ofMillis(400));
        poll(id);

        tenant.journal().assertPollSpacingAtLeast(Duration.ofMillis(400));
        assertThatThrownBy(() -> tenant.journal().assertPollSpacingAtLeast(Duration.ofSeconds(1))).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected status polls at least PT1S apart, but job " + id
                        + " was polled at 2026-01-01T00:00:01.400Z, only PT0.4S after the poll at 2026-01-01T00:00:01Z.");
    }

    @Test
    void aQuickRetryAfterAnErrorIsNotAPollingIntervalViolation() {
        String id = http.submit(tenant, Http.SMALL);
        tenant.inject(Phase.STATUS, Fault.status(503));
        poll(id);
        clock.advance(Duration.ofMillis(100));
        poll(id);

        tenant.journal().assertPollSpacingAtLeast(Duration.ofSeconds(1));
    }

    @Test
    void assertRateLimitResetHonouredNamesTheEarlyRequest() {
        tenant.inject(Phase.CREDITS, Fault.rateLimited(Duration.ofSeconds(5)));
        http.get("/v1/get-user-credits", tenant.apiKey());
        clock.advance(Duration.ofSeconds(2));
        http.get("/v1/get-user-credits", tenant.apiKey());

        assertThatThrownBy(() -> tenant.journal().assertRateLimitResetHonoured()).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected the client to honour the rate-limit reset, but GET /v1/get-user-credits at "
                        + "2026-01-01T00:00:02Z came before 2026-01-01T00:00:05Z, as the 429 at 2026-01-01T00:00:00Z had asked.");
    }

    @Test
    void requestsWithoutAValidKeyBelongToNoJournal() {
        http.get("/v1/get-user-credits", "SG_ffffffffffffffff");

        assertThat(tenant.journal().entries()).isEmpty();
        assertThat(tenant.journal().toString()).isEqualTo("Journal: (no requests)");
    }
}
