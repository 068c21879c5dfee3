package dev.segmindkit.tck;

import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.NotFoundException;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.Journal;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Phase;
import dev.segmindkit.testkit.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One job of a {@link FaultSoak}: its planned fault, how it ran through a client, and the check of
 * what the client did (from the fake's journal) against what it promised. Run on its group's
 * thread, alone on its tenant, so every journal entry between its start and its end is its own.
 */
final class SoakJob {
    /** A fault's journal text when it is the harmless spacer that lets the first status polls through. */
    private static final String SPACER = Fault.delay(Duration.ZERO).toString();

    final int index;
    final SoakFault kind;
    private final ModelRequest request;
    private final Fault fault;
    private final int spacer;
    private final Duration delay;
    private final boolean v1;

    private InferenceResult result;
    private SyncImage image;
    private Throwable error;
    private List<Journal.Entry> entries = List.of();
    private Instant resumedAt;

    /**
     * @param fault the testkit fault to inject in {@code kind}'s phase, or null
     * @param spacer how many status polls go through unharmed before a status fault strikes
     * @param delay the delay of a delay fault (zero otherwise)
     * @param v1 whether the job runs synchronously ({@code POST /v1}) rather than submit, wait, fetch
     */
    SoakJob(int index, SoakFault kind, ModelRequest request, Fault fault, int spacer, Duration delay, boolean v1) {
        this.index = index;
        this.kind = kind;
        this.request = request;
        this.fault = fault;
        this.spacer = spacer;
        this.delay = delay;
        this.v1 = v1;
    }

    /** Arms the fault, runs the job through the client as a user would, and keeps its journal entries. */
    void run(ClientAdapter client, Tenant tenant, ManualClock clock, PollingPolicy policy) {
        int from = tenant.journal().entries().size();
        JobScript script = kind.script(policy.deadline());
        if (script != null) {
            tenant.scriptNext(request.model(), script);
        }
        if (fault != null) {
            if (kind.phase() == Phase.STATUS && spacer > 0) {
                tenant.inject(Phase.STATUS, Fault.delay(Duration.ZERO).times(spacer));
            }
            tenant.inject(kind.phase(), fault);
        }
        try {
            if (v1) {
                image = client.runSync(request);
            } else if (kind == SoakFault.JOB_EXPIRED) {
                String id = client.submit(request);
                clock.advance(FakeSegmindServer.RETENTION.plusMinutes(1));
                resumedAt = clock.now();
                result = client.await(id, policy);
            } else {
                result = client.run(request);
            }
        } catch (RuntimeException | AssertionError e) {
            error = e;
        } finally {
            tenant.clearFaults();
        }
        List<Journal.Entry> all = tenant.journal().entries();
        entries = List.copyOf(all.subList(from, all.size()));
    }

    /** How the job ended: {@code COMPLETED}, or the simple name of the exception. */
    String outcome() {
        return image != null ? "COMPLETED" : result != null ? result.status().value() : error.getClass().getSimpleName();
    }

    /** How many of this job's requests the planned fault struck (the spacer not counted). */
    long struck() {
        return entries.stream().filter(e -> e.fault().filter(f -> !f.startsWith(SPACER)).isPresent()).count();
    }

    /** How many requests the job sent. */
    int requests() {
        return entries.size();
    }

    /**
     * Every broken promise, as sentences naming the job; empty when the client did all it should.
     *
     * @param deadline the client's polling deadline
     */
    List<String> problems(Duration deadline) {
        List<String> problems = new ArrayList<>();
        Phase sending = v1 ? Phase.V1 : Phase.SUBMIT;
        List<Journal.Entry> submits = entries.stream().filter(e -> e.phase() == sending).collect(Collectors.toList());
        List<Journal.Entry> paid = submits.stream().filter(Journal.Entry::paid).collect(Collectors.toList());
        if (paid.size() > 1) {
            problems.add("one call paid for " + paid.size() + " jobs: " + ids(paid));
        }
        String id = paid.isEmpty() ? null : paid.get(0).requestId().orElse(null);
        entries.stream().filter(e -> e.requestId().isPresent() && !e.requestId().get().equals(id)).findFirst()
                .ifPresent(e -> problems.add("sent a request for a job it did not submit: " + e));
        accountFor(id, submits, problems);
        expected(id, submits, paid, problems);
        if (id != null && !v1) {
            deadlineHonoured(id, paid.get(0), deadline, problems);
        }
        List<String> named = new ArrayList<>();
        for (String p : problems) {
            named.add(this + ": " + p);
        }
        return named;
    }

    /** Every paid submit ends in exactly one outcome that names it; anything else is a typed error. */
    private void accountFor(String id, List<Journal.Entry> submits, List<String> problems) {
        if (image != null) {
            Optional<String> answered = image.response().requestId();
            if (!answered.equals(Optional.ofNullable(id))) {
                problems.add("returned a v1 image of request " + answered.orElse("(none)") + " for the paid job " + id);
            }
            if (image.bytes().length == 0) {
                problems.add("returned an empty v1 image");
            }
        } else if (result != null) {
            if (id == null) {
                problems.add("returned a result (" + result.requestId() + ") although no submit was paid");
            } else if (!result.requestId().equals(id)) {
                problems.add("returned the result of " + result.requestId() + " for the paid job " + id);
            }
            if (!result.status().equals(JobStatus.COMPLETED)) {
                problems.add("returned a result in state " + result.status() + " instead of waiting for COMPLETED");
            }
        } else if (error instanceof SubmitOutcomeUnknownException) {
            Journal.Entry last = submits.isEmpty() ? null : submits.get(submits.size() - 1);
            if (last == null || !answerLost(last)) {
                problems.add("said the submit's outcome is unknown, but its answer arrived intact: " + last);
            }
        } else if (error instanceof SegmindException) {
            Optional<String> carried = ((SegmindException) error).requestId();
            if (id != null && !carried.equals(Optional.of(id))) {
                problems.add("ended with " + describe(error) + " carrying request id " + carried.orElse("(none)") + ", not the paid job " + id);
            }
        } else {
            problems.add("ended with an untyped error: " + describe(error));
        }
    }

    private void expected(String id, List<Journal.Entry> submits, List<Journal.Entry> paid, List<String> problems) {
        switch (kind.expect()) {
            case RESULT:
                if (result == null && image == null) {
                    problems.add("expected a COMPLETED result, got " + describe(error));
                }
                break;
            case API_ERROR_NO_JOB:
                if (!(error instanceof SegmindApiException) || ((SegmindApiException) error).status() != submits.get(0).httpStatus()) {
                    problems.add("expected the submit's HTTP " + submits.get(0).httpStatus() + " as a typed error, got " + outcomeText());
                }
                if (submits.size() != 1) {
                    problems.add("re-sent a submit refused with " + submits.get(0).httpStatus() + ": " + submits.size() + " submits");
                }
                break;
            case OUTCOME_UNKNOWN:
                if (!(error instanceof SubmitOutcomeUnknownException)) {
                    problems.add("expected SubmitOutcomeUnknownException, got " + outcomeText());
                }
                if (submits.size() != 1) {
                    problems.add("re-sent a submit whose answer was lost: " + submits.size() + " submits");
                }
                break;
            case FAILED:
                if (!(error instanceof InferenceFailedException) || !((InferenceFailedException) error).error().equals(SoakFault.FAILURE)) {
                    problems.add("expected InferenceFailedException with the service's error, got " + outcomeText());
                }
                break;
            case TIMEOUT:
                if (!(error instanceof InferenceTimeoutException)) {
                    problems.add("expected InferenceTimeoutException, got " + outcomeText());
                } else if (((InferenceTimeoutException) error).lastStatus().isTerminal()) {
                    problems.add("timed out although it had seen the terminal status " + ((InferenceTimeoutException) error).lastStatus());
                }
                break;
            case NOT_FOUND:
                if (!(error instanceof NotFoundException)) {
                    problems.add("expected NotFoundException for a job past its retention, got " + outcomeText());
                }
                break;
            case ERROR_WITH_ID:
                if (error == null) {
                    problems.add("expected a typed error carrying the id, got a result");
                }
                break;
            default:
                throw new AssertionError(kind.expect());
        }
        if (kind.expect() != SoakFault.Expect.API_ERROR_NO_JOB && kind != SoakFault.SUBMIT_DROPPED_BEFORE_HANDLING && paid.size() != 1) {
            problems.add("expected exactly one paid submit, the journal has " + paid.size());
        }
    }

    /**
     * No status poll (and no result fetch) goes out after the deadline, counted from the moment
     * the wait began: the submit's answer for {@code run}, the call to {@code await} for a resumed job.
     */
    private void deadlineHonoured(String id, Journal.Entry paidSubmit, Duration deadline, List<String> problems) {
        Instant waitFrom = resumedAt != null ? resumedAt : paidSubmit.at().plus(kind == SoakFault.SUBMIT_DELAY ? delay : Duration.ZERO);
        Instant end = waitFrom.plus(deadline);
        for (Journal.Entry e : entries) {
            if ((e.phase() == Phase.STATUS || e.phase() == Phase.RESULT) && e.at().isAfter(end)) {
                problems.add("sent " + e.method() + ' ' + e.path() + " at " + e.at() + ", after its deadline " + end
                        + " (waiting began at " + waitFrom + ")");
            }
        }
    }

    /** True when the client cannot have read this answer whole: no answer, or an answer a fault spoiled. */
    private static boolean answerLost(Journal.Entry e) {
        return e.httpStatus() == 0 || e.fault().filter(f -> !f.startsWith("delay")).isPresent() && e.httpStatus() == 200;
    }

    private String outcomeText() {
        return result != null || image != null ? "a result" : describe(error);
    }

    private static String describe(Throwable t) {
        return t == null ? "nothing" : t.getClass().getSimpleName() + " (" + t.getMessage() + ')';
    }

    private static String ids(List<Journal.Entry> entries) {
        return entries.stream().map(e -> e.requestId().orElse("?")).collect(Collectors.joining(", "));
    }

    /** The journal entries of this job, one a line, for a failure report. */
    String journal() {
        return entries.stream().map(e -> "    " + e).collect(Collectors.joining(System.lineSeparator()));
    }

    @Override
    public String toString() {
        return "job #" + index + " (" + request.model() + (v1 ? " on v1" : "") + ", " + kind + (fault == null ? "" : ": " + fault)
                + (spacer > 0 && kind.phase() == Phase.STATUS ? " after " + spacer + " good polls" : "") + ')';
    }
}
