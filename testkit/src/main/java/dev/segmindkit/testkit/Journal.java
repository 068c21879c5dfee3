package dev.segmindkit.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one tenant's client did, in order, each request stamped with the fake's clock (the
 * tenant's clock: virtual under a {@link ManualClock}) and what the fake answered; with assertions
 * on client behaviour whose failures read as plain sentences followed by the journal itself.
 *
 * <p>The assertions throw {@link AssertionError} (no test framework needed), so they work under
 * JUnit, TestNG or a plain main. Requests without a valid key (answered 401) belong to no tenant
 * and are not recorded. Thread-safe; a live view: read it after the client is done.
 */
public final class Journal {
    /** The job states after which a client has nothing more to wait for. */
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED");

    /**
     * One request and its answer.
     *
     * @param at when the request arrived, on the tenant's clock
     * @param phase what kind of request it was
     * @param method the HTTP method
     * @param path the request path
     * @param requestId the job it concerned, if any
     * @param model the model it named, if any
     * @param httpStatus the status answered; 0 when the connection was reset without an answer
     * @param jobStatus the job state the client was told (only when the answer arrived intact)
     * @param fault the fault that struck it, if any
     * @param paid whether it created a job, which the account pays for if it completes (a FAILED
     *     job is not charged)
     * @param rateLimitResetAt for a 429, the instant the client was told it may come back
     *     (the later of {@code x-rate-limit-reset-at-utc} and {@code Retry-After})
     */
    public record Entry(Instant at, Phase phase, String method, String path, Optional<String> requestId, Optional<String> model,
            int httpStatus, Optional<String> jobStatus, Optional<String> fault, boolean paid, Optional<Instant> rateLimitResetAt) {

        /** Validates the components. */
        public Entry {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(jobStatus, "jobStatus");
            Objects.requireNonNull(fault, "fault");
            Objects.requireNonNull(rateLimitResetAt, "rateLimitResetAt");
        }

        /** One line: {@code 2026-01-01T00:00:05Z STATUS GET /v2/requests/<id>/status -> 200 PROCESSING}. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder().append(at).append(' ').append(phase).append(' ').append(method).append(' ').append(path)
                    .append(" -> ").append(httpStatus == 0 ? "no answer" : String.valueOf(httpStatus));
            jobStatus.ifPresent(j -> s.append(' ').append(j));
            if (paid) {
                s.append(" (paid)");
            }
            fault.ifPresent(f -> s.append(" [fault: ").append(f).append(']'));
            rateLimitResetAt.ifPresent(r -> s.append(" [come back at ").append(r).append(']'));
            return s.toString();
        }
    }

    /** Enough for any test; a load test against one key keeps only its latest requests. */
    static final int CAPACITY = 200_000;
    private static final int PRINTED = 60;

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long dropped;

    Journal() {
    }

    void add(Entry entry) {
        synchronized (entries) {
            if (entries.size() == CAPACITY) {
                entries.removeFirst();
                dropped++;
            }
            entries.addLast(entry);
        }
    }

    void clear() {
        synchronized (entries) {
            entries.clear();
            dropped = 0;
        }
    }

    /**
     * Every entry so far, oldest first (a copy). A journal keeps the latest 200,000 requests: a
     * load test against one key loses its oldest entries, which {@link #toString()} then counts.
     */
    public List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** The entries of one phase, oldest first. */
    public List<Entry> entries(Phase phase) {
        return entries().stream().filter(e -> e.phase() == phase).collect(Collectors.toList());
    }

    /** The request ids of the paid asynchronous submits, in order. */
    public List<String> submittedRequestIds() {
        return entries().stream().filter(e -> e.phase() == Phase.SUBMIT && e.paid()).map(e -> e.requestId().orElseThrow())
                .collect(Collectors.toList());
    }

    /** The status polls of one job, oldest first. */
    public List<Entry> polls(String requestId) {
        return entries().stream().filter(e -> e.phase() == Phase.STATUS && e.requestId().equals(Optional.of(requestId)))
                .collect(Collectors.toList());
    }

    /**
     * Asserts the client made exactly {@code expected} paid asynchronous submits (each one created
     * a job, billed if it completes: a client that retries a submit whose answer was lost pays twice).
     *
     * @throws AssertionError saying how many it made, and when
     */
    public void assertPaidSubmits(int expected) {
        List<Entry> paid = entries().stream().filter(e -> e.phase() == Phase.SUBMIT && e.paid()).collect(Collectors.toList());
        if (paid.size() != expected) {
            String which = paid.isEmpty() ? "" : ": " + paid.stream().map(e -> e.requestId().orElse("?") + " at " + e.at())
                    .collect(Collectors.joining(", "));
            fail("Expected exactly " + plural(expected, "paid submit") + ", but the client made " + paid.size() + which + '.');
        }
    }

    /**
     * Asserts that once the client was told a job was COMPLETED or FAILED (by a status poll or a
     * result fetch that reached it intact), it never polled that job's status again. Fetching the
     * result after a terminal status is of course fine.
     *
     * @throws AssertionError naming the job and the polls that came too late
     */
    public void assertNoPollAfterTerminal() {
        Map<String, Entry> terminalSeen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Entry e : entries()) {
            if (e.requestId().isEmpty() || !(e.phase() == Phase.STATUS || e.phase() == Phase.RESULT)) {
                continue;
            }
            String id = e.requestId().get();
            Entry terminal = terminalSeen.get(id);
            if (terminal != null && e.phase() == Phase.STATUS) {
                problems.add("job " + id + " was polled at " + e.at() + " after the client had been told it was "
                        + terminal.jobStatus().orElseThrow() + " at " + terminal.at());
            }
            if (terminal == null && e.jobStatus().filter(TERMINAL::contains).isPresent()) {
                terminalSeen.put(id, e);
            }
        }
        if (!problems.isEmpty()) {
            fail("Expected no status poll after a terminal state, but " + String.join("; ", problems) + '.');
        }
    }

    /**
     * Asserts that successive status polls of each job were at least {@code minimum} apart on the
     * fake's clock. Only the gap after a poll answered 200 with a running state counts: a retry
     * after an error answer follows the client's retry backoff, not its polling interval.
     *
     * @throws AssertionError naming the polls that came too soon
     */
    public void assertPollSpacingAtLeast(Duration minimum) {
        Objects.requireNonNull(minimum, "minimum");
        Map<String, Entry> previous = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Entry e : entries()) {
            if (e.phase() != Phase.STATUS || e.requestId().isEmpty()) {
                continue;
            }
            String id = e.requestId().get();
            Entry before = previous.put(id, e);
            if (before != null && before.httpStatus() == 200 && before.jobStatus().filter(s -> !TERMINAL.contains(s)).isPresent()) {
                Duration gap = Duration.between(before.at(), e.at());
                if (gap.compareTo(minimum) < 0) {
                    problems.add("job " + id + " was polled at " + e.at() + ", only " + gap + " after the poll at " + before.at());
                }
            }
        }
        if (!problems.isEmpty()) {
            fail("Expected status polls at least " + minimum + " apart, but " + String.join("; ", problems) + '.');
        }
    }

    /**
     * Asserts that after every 429 the client waited until the instant it was told (the later of
     * {@code x-rate-limit-reset-at-utc} and {@code Retry-After}) before sending its next request
     * with this key.
     *
     * @throws AssertionError naming the requests that came too early
     */
    public void assertRateLimitResetHonoured() {
        Instant comeBackAt = null;
        Entry limitedBy = null;
        List<String> problems = new ArrayList<>();
        for (Entry e : entries()) {
            if (e.phase() == Phase.MEDIA) {
                continue; // media URLs are public and not rate limited
            }
            if (comeBackAt != null && e.at().isBefore(comeBackAt)) {
                problems.add(e.method() + ' ' + e.path() + " at " + e.at() + " came before " + comeBackAt + ", as the 429 at "
                        + limitedBy.at() + " had asked");
            }
            if (e.rateLimitResetAt().isPresent() && (comeBackAt == null || e.rateLimitResetAt().get().isAfter(comeBackAt))) {
                comeBackAt = e.rateLimitResetAt().get();
                limitedBy = e;
            }
        }
        if (!problems.isEmpty()) {
            fail("Expected the client to honour the rate-limit reset, but " + String.join("; ", problems) + '.');
        }
    }

    private void fail(String sentence) {
        throw new AssertionError(sentence + System.lineSeparator() + this);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The distinct request ids the journal mentions, in order of first mention. */
    public Set<String> requestIds() {
        Set<String> ids = new LinkedHashSet<>();
        entries().forEach(e -> e.requestId().ifPresent(ids::add));
        return ids;
    }

    /** The journal, one entry a line (the latest 60 when it is longer, saying how many are left out). */
    @Override
    public String toString() {
        List<Entry> all;
        long lost;
        synchronized (entries) {
            all = List.copyOf(entries);
            lost = dropped;
        }
        if (all.isEmpty()) {
            return "Journal: (no requests)";
        }
        long hidden = lost + Math.max(0, all.size() - PRINTED);
        String head = hidden == 0 ? "Journal:" : "Journal (" + hidden + " earlier requests not shown):";
        return head + System.lineSeparator() + all.subList(Math.max(0, all.size() - PRINTED), all.size()).stream().map(e -> "  " + e)
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
