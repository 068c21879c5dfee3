package dev.segmindkit.tck;

import dev.segmindkit.testkit.Fault;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.Phase;
import java.time.Duration;
import java.util.Random;

/**
 * The faults {@link FaultSoak} injects, one at most per job, and what the client must make of
 * each. Every phase of the asynchronous flow is covered: the submit, the status polls and the
 * result fetch get HTTP errors (5xx, 429 with {@code x-rate-limit-reset-at-utc} and {@code
 * Retry-After}), dropped connections before and after the fake handled the request, malformed and
 * truncated answers and delays, and so does the synchronous v1 run; the job itself may FAIL,
 * outlast the client's deadline, or be asked for after the service's one-hour retention.
 */
public enum SoakFault {
    /** No fault: the job completes. */
    NONE(null, Expect.RESULT),

    /** The submit gets 503 once or twice: no job was made, so it is re-sent and billed once. */
    SUBMIT_503(Phase.SUBMIT, Expect.RESULT),
    /** The submit is rate limited (reset header, sometimes also Retry-After): re-sent once the wait is over. */
    SUBMIT_429(Phase.SUBMIT, Expect.RESULT),
    /** The submit gets 500: a job may have been made, so it is not re-sent; a typed error. */
    SUBMIT_500(Phase.SUBMIT, Expect.API_ERROR_NO_JOB),
    /** The submit gets 502: not re-sent; a typed error. */
    SUBMIT_502(Phase.SUBMIT, Expect.API_ERROR_NO_JOB),
    /** The submit gets 504: not re-sent; a typed error. */
    SUBMIT_504(Phase.SUBMIT, Expect.API_ERROR_NO_JOB),
    /** The connection drops after the submit was sent, before the fake handled it: no job, but the client cannot know. */
    SUBMIT_DROPPED_BEFORE_HANDLING(Phase.SUBMIT, Expect.OUTCOME_UNKNOWN),
    /** The fake made (and billed) the job, then dropped the connection: outcome unknown, never re-sent. */
    SUBMIT_DROPPED_AFTER_HANDLING(Phase.SUBMIT, Expect.OUTCOME_UNKNOWN),
    /** The fake made the job and answered a body that is not JSON: outcome unknown, never re-sent. */
    SUBMIT_MALFORMED_JSON(Phase.SUBMIT, Expect.OUTCOME_UNKNOWN),
    /** The fake made the job and answered half its JSON: outcome unknown, never re-sent. */
    SUBMIT_TRUNCATED_JSON(Phase.SUBMIT, Expect.OUTCOME_UNKNOWN),
    /** The fake made the job and closed the connection half-way through the body. */
    SUBMIT_TRUNCATED_BODY(Phase.SUBMIT, Expect.OUTCOME_UNKNOWN),
    /** The submit's answer comes a few seconds late. */
    SUBMIT_DELAY(Phase.SUBMIT, Expect.RESULT),

    /** One to three status polls get 500, 502, 503 or 504. */
    STATUS_5XX(Phase.STATUS, Expect.RESULT),
    /** A status poll is rate limited. */
    STATUS_429(Phase.STATUS, Expect.RESULT),
    /** A status poll's connection drops before it is handled. */
    STATUS_DROPPED_BEFORE_HANDLING(Phase.STATUS, Expect.RESULT),
    /** A status poll's connection drops after it is handled. */
    STATUS_DROPPED_AFTER_HANDLING(Phase.STATUS, Expect.RESULT),
    /** A status poll answers a body that is not JSON. */
    STATUS_MALFORMED_JSON(Phase.STATUS, Expect.RESULT),
    /** A status poll answers half its JSON. */
    STATUS_TRUNCATED_JSON(Phase.STATUS, Expect.RESULT),
    /** A status poll's body is cut short. */
    STATUS_TRUNCATED_BODY(Phase.STATUS, Expect.RESULT),
    /** A status poll's answer comes a few seconds late. */
    STATUS_DELAY(Phase.STATUS, Expect.RESULT),
    /**
     * A job that outlasts the deadline gets a 429 on one of its last polls, with a reset past the
     * deadline: the client must not hold a poll for the reset and send it after its deadline.
     */
    STATUS_429_NEAR_DEADLINE(Phase.STATUS, Expect.TIMEOUT),
    /** Every status poll gets 503 until the deadline: the wait ends in a timeout carrying the id. */
    STATUS_503_UNTIL_DEADLINE(Phase.STATUS, Expect.TIMEOUT),

    /** One to three result fetches get 500, 502, 503 or 504. */
    RESULT_5XX(Phase.RESULT, Expect.RESULT),
    /** The result fetch is rate limited. */
    RESULT_429(Phase.RESULT, Expect.RESULT),
    /** The result fetch's connection drops before it is handled. */
    RESULT_DROPPED_BEFORE_HANDLING(Phase.RESULT, Expect.RESULT),
    /** The result fetch's connection drops after it is handled. */
    RESULT_DROPPED_AFTER_HANDLING(Phase.RESULT, Expect.RESULT),
    /** The result fetch answers a body that is not JSON. */
    RESULT_MALFORMED_JSON(Phase.RESULT, Expect.RESULT),
    /** The result fetch answers half its JSON. */
    RESULT_TRUNCATED_JSON(Phase.RESULT, Expect.RESULT),
    /** The result fetch's body is cut short. */
    RESULT_TRUNCATED_BODY(Phase.RESULT, Expect.RESULT),
    /** The result fetch's answer comes a few seconds late. */
    RESULT_DELAY(Phase.RESULT, Expect.RESULT),
    /** Every attempt the retry policy allows at the result gets 503: a typed error carrying the id. */
    RESULT_503_EVERY_ATTEMPT(Phase.RESULT, Expect.ERROR_WITH_ID),
    /** Every attempt at the result answers a body that is not JSON: a typed error carrying the id. */
    RESULT_MALFORMED_EVERY_ATTEMPT(Phase.RESULT, Expect.ERROR_WITH_ID),

    /** A synchronous v1 run gets 503 once or twice: no job was made, so it is re-sent and billed once. */
    V1_503(Phase.V1, Expect.RESULT),
    /** A v1 run is rate limited: re-sent once the wait is over. */
    V1_429(Phase.V1, Expect.RESULT),
    /** A v1 run gets 500: not re-sent; a typed error. */
    V1_500(Phase.V1, Expect.API_ERROR_NO_JOB),
    /** The fake ran (and billed) the v1 job, then dropped the connection: outcome unknown, never re-sent. */
    V1_DROPPED_AFTER_HANDLING(Phase.V1, Expect.OUTCOME_UNKNOWN),
    /** The fake ran the v1 job and cut its image short: outcome unknown, never re-sent. */
    V1_TRUNCATED_BODY(Phase.V1, Expect.OUTCOME_UNKNOWN),
    /** A v1 run's answer comes a few seconds late. */
    V1_DELAY(Phase.V1, Expect.RESULT),

    /** The job FAILS: {@code InferenceFailedException} with the id and the service's error. */
    JOB_FAILED(null, Expect.FAILED),
    /** The job runs longer than the client's deadline: {@code InferenceTimeoutException} with the id. */
    JOB_LONGER_THAN_DEADLINE(null, Expect.TIMEOUT),
    /** The job is waited for only after the one-hour retention: {@code NotFoundException} with the id. */
    JOB_EXPIRED(null, Expect.NOT_FOUND);

    /** The error text of the jobs {@link #JOB_FAILED} makes fail. */
    static final String FAILURE = "CUDA out of memory (injected by the soak)";

    /** What the client must end a job with, given its fault. */
    enum Expect {
        /** A COMPLETED result for the one paid job. */
        RESULT,
        /** A {@code SegmindApiException} with the injected status; no job was made. */
        API_ERROR_NO_JOB,
        /** A {@code SubmitOutcomeUnknownException}; the submit was sent once. */
        OUTCOME_UNKNOWN,
        /** An {@code InferenceFailedException} with the id and the error text. */
        FAILED,
        /** An {@code InferenceTimeoutException} with the id and a non-terminal last status. */
        TIMEOUT,
        /** A {@code NotFoundException} with the id. */
        NOT_FOUND,
        /** Some typed {@code SegmindException} carrying the id. */
        ERROR_WITH_ID
    }

    private final Phase phase;
    private final Expect expect;

    SoakFault(Phase phase, Expect expect) {
        this.phase = phase;
        this.expect = expect;
    }

    /** True for the faults of a synchronous v1 run: their jobs run with {@code runSync}. */
    boolean v1() {
        return phase == Phase.V1;
    }

    /** The phase the fault strikes, or null for faults of the job itself (and for {@link #NONE}). */
    public Phase phase() {
        return phase;
    }

    Expect expect() {
        return expect;
    }

    /**
     * The testkit fault to inject for this kind, drawn with {@code random} where the kind leaves a
     * choice (which 5xx, how many times, how long a wait); null for the faults of the job itself.
     *
     * @param attempts the retry policy's attempts per request, for the faults that must outlast them
     * @param delay how long a delay fault holds its answer back
     */
    Fault draw(Random random, int attempts, Duration delay) {
        switch (this) {
            case SUBMIT_503:
            case V1_503:
                return Fault.status(503).times(1 + random.nextInt(2));
            case V1_500: return Fault.status(500);
            case SUBMIT_500: return Fault.status(500);
            case SUBMIT_502: return Fault.status(502);
            case SUBMIT_504: return Fault.status(504);
            case STATUS_5XX:
            case RESULT_5XX:
                return Fault.status(new int[] {500, 502, 503, 504}[random.nextInt(4)]).times(1 + random.nextInt(3));
            case STATUS_429_NEAR_DEADLINE:
                Fault late = Fault.rateLimited(Duration.ofSeconds(5 + random.nextInt(6)));
                return random.nextBoolean() ? late : late.withRetryAfter(Duration.ofSeconds(5 + random.nextInt(6)));
            case SUBMIT_429:
            case V1_429:
            case STATUS_429:
            case RESULT_429:
                Fault limited = Fault.rateLimited(Duration.ofSeconds(1 + random.nextInt(5)));
                return random.nextBoolean() ? limited : limited.withRetryAfter(Duration.ofSeconds(1 + random.nextInt(6)));
            case SUBMIT_DROPPED_BEFORE_HANDLING:
            case STATUS_DROPPED_BEFORE_HANDLING:
            case RESULT_DROPPED_BEFORE_HANDLING:
                return Fault.disconnect();
            case SUBMIT_DROPPED_AFTER_HANDLING:
            case V1_DROPPED_AFTER_HANDLING:
            case STATUS_DROPPED_AFTER_HANDLING:
            case RESULT_DROPPED_AFTER_HANDLING:
                return Fault.disconnectAfterHandling();
            case SUBMIT_MALFORMED_JSON:
            case STATUS_MALFORMED_JSON:
            case RESULT_MALFORMED_JSON:
                return Fault.malformedJson();
            case SUBMIT_TRUNCATED_JSON:
            case STATUS_TRUNCATED_JSON:
            case RESULT_TRUNCATED_JSON:
                return Fault.truncatedJson();
            case SUBMIT_TRUNCATED_BODY:
            case V1_TRUNCATED_BODY:
            case STATUS_TRUNCATED_BODY:
            case RESULT_TRUNCATED_BODY:
                return Fault.truncatedBody();
            case SUBMIT_DELAY:
            case V1_DELAY:
            case STATUS_DELAY:
            case RESULT_DELAY:
                return Fault.delay(delay);
            case STATUS_503_UNTIL_DEADLINE: return Fault.status(503).always();
            case RESULT_503_EVERY_ATTEMPT: return Fault.status(503).times(attempts);
            case RESULT_MALFORMED_EVERY_ATTEMPT: return Fault.malformedJson().times(attempts);
            default: return null;
        }
    }

    /** The script of the job's own fault, or null when the job runs as the fake's defaults say. */
    JobScript script(Duration deadline) {
        switch (this) {
            case JOB_FAILED: return JobScript.fails(FAILURE);
            case JOB_LONGER_THAN_DEADLINE:
            case STATUS_429_NEAR_DEADLINE:
                return JobScript.completes().processingFor(deadline.multipliedBy(2));
            default: return null;
        }
    }
}
