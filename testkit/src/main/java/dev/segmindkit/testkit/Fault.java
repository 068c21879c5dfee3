package dev.segmindkit.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * Something going wrong on the way, injected into a tenant's next requests of one {@link Phase}
 * with {@link Tenant#inject(Phase, Fault)}. An immutable value: the methods that refine it return a
 * new one. "The next two status polls get 503" is
 * {@code tenant.inject(Phase.STATUS, Fault.status(503).times(2))}.
 *
 * <p>Faults come in two kinds. Those that strike <em>instead of</em> handling ({@link #status},
 * {@link #rateLimited}, {@link #disconnect}) leave no trace on the fake's state: a submit they hit
 * creates no job and bills nothing. Those that strike <em>after</em> handling ({@link
 * #disconnectAfterHandling}, {@link #truncatedBody}, {@link #malformedJson}, {@link
 * #truncatedJson}) let the request take effect and then spoil its answer: a submit they hit
 * <em>did</em> create a paid job, which is exactly the "answer lost, job may exist" case clients
 * must not blindly retry. {@link #delay} and {@link #realDelay} hold the answer back, then answer
 * normally.
 *
 * <p>Nonsense (a status outside 100..599, a negative delay, fewer than one occurrence) throws
 * {@link IllegalArgumentException} at the call.
 */
public final class Fault {
    enum Kind { STATUS, DELAY, REAL_DELAY, DISCONNECT, DISCONNECT_AFTER, TRUNCATED_BODY, MALFORMED_JSON, TRUNCATED_JSON }

    /** How many requests a fault made with {@link #always()} strikes: every one. */
    static final int FOREVER = Integer.MAX_VALUE;

    private final Kind kind;
    private final int status;
    private final String message;
    private final Duration resetIn;
    private final Duration retryAfter;
    private final Duration delay;
    private final int times;

    private Fault(Kind kind, int status, String message, Duration resetIn, Duration retryAfter, Duration delay, int times) {
        this.kind = kind;
        this.status = status;
        this.message = message;
        this.resetIn = resetIn;
        this.retryAfter = retryAfter;
        this.delay = delay;
        this.times = times;
    }

    /**
     * Answers {@code status} with the body the real service sends for it in that phase: {@code
     * {"error": ...}} with its usual message, the HTML page for 405, {@code "Request <id> not
     * found"} for a 404 on a status poll or result fetch, and {@code x-rate-limit-reset-at-utc} one
     * second ahead for 429. No job is created.
     *
     * @throws IllegalArgumentException unless {@code 100 <= status <= 599}
     */
    public static Fault status(int status) {
        checkStatus(status);
        return new Fault(Kind.STATUS, status, null, status == 429 ? Duration.ofSeconds(1) : null, null, null, 1);
    }

    /**
     * Answers {@code status} with {@code {"error": message}} (a 405 keeps its HTML body). No job is
     * created.
     *
     * @throws IllegalArgumentException unless {@code 100 <= status <= 599}, or if the message is blank
     */
    public static Fault status(int status, String message) {
        checkStatus(status);
        Objects.requireNonNull(message, "message");
        if (message.isBlank()) {
            throw new IllegalArgumentException("a fault's error message must not be blank");
        }
        return new Fault(Kind.STATUS, status, message, status == 429 ? Duration.ofSeconds(1) : null, null, null, 1);
    }

    /**
     * Answers 429 with {@code x-rate-limit-reset-at-utc} set {@code resetIn} after the fake's current
     * time (its clock: virtual under a {@link ManualClock}), and no {@code Retry-After}, as the real
     * gateway does; add one with {@link #withRetryAfter}.
     *
     * @throws IllegalArgumentException if {@code resetIn} is negative
     */
    public static Fault rateLimited(Duration resetIn) {
        return new Fault(Kind.STATUS, 429, null, nonNegative(resetIn, "resetIn"), null, null, 1);
    }

    /**
     * Holds the answer back for {@code delay} on the fake's clock, then answers normally. Under
     * {@code TimeSource.system()} the connection really waits; under a {@link ManualClock} the clock
     * moves on by {@code delay} and the answer comes at once (so a test can never hang on it); any
     * other clock is asked to {@code sleep}.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, null, null, null, nonNegative(delay, "delay"), 1);
    }

    /**
     * Holds the answer back for {@code delay} of wall-clock time whatever the fake's clock, then
     * answers normally: for a client's read timeouts. Keep it short; tests that use it take that
     * long.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Fault realDelay(Duration delay) {
        return new Fault(Kind.REAL_DELAY, 0, null, null, null, nonNegative(delay, "delay"), 1);
    }

    /** Reads the request, then resets the connection without answering and without handling it: no job is created. */
    public static Fault disconnect() {
        return new Fault(Kind.DISCONNECT, 0, null, null, null, null, 1);
    }

    /**
     * Handles the request (a submit creates and bills its job), then resets the connection without
     * a byte of answer: the client cannot know the job exists.
     */
    public static Fault disconnectAfterHandling() {
        return new Fault(Kind.DISCONNECT_AFTER, 0, null, null, null, null, 1);
    }

    /**
     * Handles the request, sends the headers with the full {@code Content-Length} and half the
     * body, then closes the connection.
     */
    public static Fault truncatedBody() {
        return new Fault(Kind.TRUNCATED_BODY, 0, null, null, null, null, 1);
    }

    /** Handles the request, then answers 200 with a body that is not JSON (a complete HTTP message). */
    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, 0, null, null, null, null, 1);
    }

    /**
     * Handles the request, then answers its status with the first half of its JSON body (a
     * complete HTTP message whose {@code Content-Length} matches the cut body).
     */
    public static Fault truncatedJson() {
        return new Fault(Kind.TRUNCATED_JSON, 0, null, null, null, null, 1);
    }

    /**
     * This fault, striking the next {@code count} requests of its phase (1 by default).
     *
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a fault strikes at least once, got times(" + count + ")");
        }
        return new Fault(kind, status, message, resetIn, retryAfter, delay, count);
    }

    /** This fault, striking every request of its phase until the tenant's faults are cleared. */
    public Fault always() {
        return new Fault(kind, status, message, resetIn, retryAfter, delay, FOREVER);
    }

    /**
     * This status fault with a {@code Retry-After} header of {@code retryAfter}, in whole seconds
     * rounded up.
     *
     * @throws IllegalArgumentException if this is not a status fault, or {@code retryAfter} is negative
     */
    public Fault withRetryAfter(Duration retryAfter) {
        if (kind != Kind.STATUS) {
            throw new IllegalArgumentException("only a status fault has headers: cannot add Retry-After to " + this);
        }
        return new Fault(kind, status, message, resetIn, nonNegative(retryAfter, "retryAfter"), delay, times);
    }

    Kind kind() {
        return kind;
    }

    int httpStatus() {
        return status;
    }

    String message() {
        return message;
    }

    Duration resetIn() {
        return resetIn;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    Duration delayDuration() {
        return delay;
    }

    int count() {
        return times;
    }

    /** True when the request is handled before the fault spoils its answer. */
    boolean handlesRequest() {
        return kind == Kind.DISCONNECT_AFTER || kind == Kind.TRUNCATED_BODY || kind == Kind.MALFORMED_JSON
                || kind == Kind.TRUNCATED_JSON || kind == Kind.DELAY || kind == Kind.REAL_DELAY;
    }

    private static void checkStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("an HTTP status is between 100 and 599, got " + status);
        }
    }

    private static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        return d;
    }

    /** A short description, as journal entries show it: {@code 503}, {@code 429 reset in PT5S}, {@code disconnect}. */
    @Override
    public String toString() {
        String s;
        switch (kind) {
            case STATUS:
                s = String.valueOf(status) + (message == null ? "" : " \"" + message + '"')
                        + (status == 429 && resetIn != null ? " reset in " + resetIn : "")
                        + (retryAfter == null ? "" : " Retry-After " + retryAfter);
                break;
            case DELAY: s = "delay " + delay; break;
            case REAL_DELAY: s = "real delay " + delay; break;
            case DISCONNECT: s = "disconnect"; break;
            case DISCONNECT_AFTER: s = "disconnect after handling"; break;
            case TRUNCATED_BODY: s = "truncated body"; break;
            case MALFORMED_JSON: s = "malformed JSON"; break;
            case TRUNCATED_JSON: s = "truncated JSON"; break;
            default: throw new AssertionError(kind);
        }
        return times == 1 ? s : times == FOREVER ? s + " always" : s + " x" + times;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fault)) {
            return false;
        }
        Fault f = (Fault) o;
        return kind == f.kind && status == f.status && times == f.times && Objects.equals(message, f.message)
                && Objects.equals(resetIn, f.resetIn) && Objects.equals(retryAfter, f.retryAfter) && Objects.equals(delay, f.delay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, status, message, resetIn, retryAfter, delay, times);
    }
}
