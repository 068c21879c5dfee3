package dev.segmindkit.core.internal;

import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.WaitInterruptedException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of one attempt and of the retries around it, the same for both clients; each client
 * only sends (its transport) and waits (sleeping on its {@code TimeSource}, or {@code Mono.delay} on
 * its scheduler). Held once per client.
 *
 * <ul>
 *   <li><b>Time-out.</b> {@link #attemptTimeout(Exchange)}: the exchange's time-out, capped at what
 *       is left to the deadline, never under one second. Both transports apply it to the whole
 *       exchange: connecting, sending, the headers and the whole body.
 *   <li><b>Retry.</b> {@link #retryDelay}: the retry's proposed wait (from the client's Resilience4j
 *       {@code Retry}) is taken only where the safety rules allow it, whatever that retry's own
 *       configuration says: a request that may have reached the service is never re-sent unless it
 *       is a read; a 429's reset is waited for; no wait ends past the deadline.
 *   <li><b>Sent or not.</b> {@link #networkFailure}: only a failure known to come before any byte
 *       of the request left (connect refused, unknown host, a failed TLS handshake, no connection
 *       free) is "not sent"; a billed request lost after that is {@link
 *       SubmitOutcomeUnknownException} ({@link #outcome}).
 *   <li><b>Errors and logs.</b> {@link #answerError} maps an error answer through {@link
 *       ErrorMapper} and notes a 429's reset; every log line goes through {@link Secrets}.
 * </ul>
 */
public final class Engine {
    /** No attempt gets less: a request started just before the deadline still gets a fair chance to answer. */
    public static final Duration MIN_ATTEMPT_TIMEOUT = Duration.ofSeconds(1);

    private final SegmindConfig config;
    private final Supplier<Instant> clock;
    private final Consumer<RetryEvent> onRetry;
    private final RateLimitGate gate;
    private final MediaGuard mediaGuard;
    private final dev.segmindkit.core.ExchangeListener exchanges;
    private final Logger log;

    /**
     * @param clock the client's time: its {@code TimeSource}, or its scheduler's clock
     * @param onRetry hears each retry before its wait
     * @param allowPrivateMedia whether media downloads may reach private and link-local addresses
     * @param exchanges hears each attempt
     * @param loggerName the client's logger
     */
    public Engine(SegmindConfig config, Supplier<Instant> clock, Consumer<RetryEvent> onRetry, boolean allowPrivateMedia,
            dev.segmindkit.core.ExchangeListener exchanges, String loggerName) {
        this.exchanges = exchanges;
        this.config = config;
        this.clock = clock;
        this.onRetry = onRetry;
        this.gate = new RateLimitGate(config.retryPolicy().maxServerDelay());
        this.mediaGuard = new MediaGuard(allowPrivateMedia, config.baseUrl(), config.uploadUrl());
        this.log = LoggerFactory.getLogger(loggerName);
    }

    public SegmindConfig config() {
        return config;
    }

    public Instant now() {
        return clock.get();
    }

    /** Which addresses media downloads may reach. */
    public MediaGuard mediaGuard() {
        return mediaGuard;
    }

    /** How long from now until the rate-limit reset a 429 asked for; zero when no request is held. */
    public Duration rateLimitWait() {
        return gate.waitFrom(now());
    }

    /** The time-out of the next attempt of this exchange: its own, capped by the deadline, at least {@link #MIN_ATTEMPT_TIMEOUT}. */
    public Duration attemptTimeout(Exchange x) {
        if (x.deadline() == null) {
            return x.timeout();
        }
        Duration left = Duration.between(now(), x.deadline());
        Duration capped = left.compareTo(x.timeout()) < 0 ? left : x.timeout();
        return capped.compareTo(MIN_ATTEMPT_TIMEOUT) < 0 ? MIN_ATTEMPT_TIMEOUT : capped;
    }

    /**
     * Whether the failure may be retried at all, by the safety rules and the {@link RetryPolicy};
     * the clients give it to their Resilience4j {@code Retry} as its exception predicate.
     */
    public boolean retryable(RetryPolicy.Operation kind, Throwable failure) {
        return safeToResend(kind, failure) && config.retryPolicy().isRetryable(kind, failure, now());
    }

    /** The policy's wait before retry number {@code retry}, in whole milliseconds (rounded up), for a Resilience4j interval function. */
    public long proposedDelayMillis(int retry, Throwable failure) {
        Duration d = config.retryPolicy().delayBeforeRetry(Math.max(1, retry), failure, now(), ThreadLocalRandom.current().nextDouble());
        return ceilMillis(d);
    }

    /**
     * The wait before retrying {@code x} after {@code failure}, or null to give up: the proposed
     * wait of the client's retry (negative: the retry gave up), never shorter than a 429's reset,
     * refused where the request may have reached the service (a POST) or where the wait would end
     * past the deadline. Reports the retry to the client's listener.
     */
    public Duration retryDelay(Exchange x, SegmindException failure, long proposedMillis, int retry) {
        if (proposedMillis < 0 || failure instanceof WaitInterruptedException || !safeToResend(x.route().kind(), failure)) {
            return null;
        }
        Duration delay = Duration.ofMillis(proposedMillis);
        Duration held = rateLimitWait();
        if (held.compareTo(delay) > 0) {
            delay = Duration.ofMillis(ceilMillis(held));
        }
        if (x.deadline() != null && now().plus(delay).isAfter(x.deadline())) {
            log.debug("{}: not retrying after {}, the wait of {} would pass the deadline", x.operation(), failure.getMessage(), delay);
            return null;
        }
        RetryEvent event = new RetryEvent(x.operation(), x.requestId(), retry, failure, delay);
        debug("{}", event);
        onRetry.accept(event);
        return delay;
    }

    private static boolean safeToResend(RetryPolicy.Operation kind, Throwable failure) {
        if (failure instanceof MediaGuard.RefusedException) {
            return false;
        }
        return kind == RetryPolicy.Operation.READ || !(failure instanceof SegmindIOException) || !((SegmindIOException) failure).requestSent();
    }

    /** The exception for an error answer; a 429's reset holds the client's next requests. */
    public SegmindException answerError(Exchange x, int status, Map<String, ? extends List<String>> headers, byte[] body) {
        if (log.isDebugEnabled()) {
            debug("{} error body: {}", x.operation(), new String(body, StandardCharsets.UTF_8));
        }
        SegmindException error = ErrorMapper.map(status, headers, body, x.operation(), x.requestId(), now(), config.apiKey());
        if (error instanceof RateLimitException) {
            gate.note((RateLimitException) error, now());
        }
        return error;
    }

    /** A 2xx body over the route's limit. */
    public SegmindException tooLarge(Exchange x, long size) {
        return new MalformedResponseException(x.operation() + " answered " + (size < 0 ? "more than " + x.route().bodyLimit() : size)
                + " bytes, over the limit of " + x.route().bodyLimit() + " bytes for this answer").about(x.requestId());
    }

    /** An attempt that outlived its time-out (connecting, sending, the headers or the body). */
    public SegmindException timedOut(Exchange x, Duration timeout, boolean mayHaveBeenSent) {
        return new SegmindIOException(x.operation() + " failed: no answer within the request timeout (" + timeout + ", the body included)", mayHaveBeenSent, x.requestId(),
                null);
    }

    /**
     * A failure of the network (or of the client's HTTP library). {@code mayHaveBeenSent} is the
     * transport's own knowledge (false if it knows nothing went out); a cause known to come before
     * any byte left makes it "not sent" in any case.
     */
    public SegmindException networkFailure(Exchange x, Throwable cause, boolean mayHaveBeenSent) {
        if (cause instanceof SegmindException) {
            return (SegmindException) cause;
        }
        if (interrupted(cause)) {
            Thread.currentThread().interrupt();
            InterruptedException interrupted = new InterruptedException("interrupted during " + x.operation());
            interrupted.initCause(cause);
            return new WaitInterruptedException(x.requestId() == null ? "(none yet)" : x.requestId(), interrupted);
        }
        String what = cause instanceof TimeoutException || cause instanceof SocketTimeoutException
                ? "no answer within the request timeout"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        String host = x.route() == Route.MEDIA ? "" : " (" + (x.route().host() == Route.Host.UPLOAD ? config.uploadUrl() : config.baseUrl())
                .getHost() + ")";
        return new SegmindIOException(x.operation() + host + " failed: " + what, mayHaveBeenSent && !neverSent(cause), x.requestId(), cause);
    }

    /** What the caller gets for a failed exchange: a billed request lost after sending is "outcome unknown". */
    public SegmindException outcome(Exchange x, SegmindException failure) {
        if (x.route().billed() && failure instanceof SegmindIOException && ((SegmindIOException) failure).requestSent()) {
            return new SubmitOutcomeUnknownException(x.model(), failure);
        }
        return failure;
    }

    /**
     * What a call gets when its client closes under it: {@link dev.segmindkit.core.ClientClosedException}
     * naming the job, inside {@link SubmitOutcomeUnknownException} for a billed request (the job may
     * have been made).
     */
    public SegmindException closed(Exchange x) {
        dev.segmindkit.core.ClientClosedException closed = new dev.segmindkit.core.ClientClosedException(x.operation(), x.requestId());
        return x.route().billed() ? new SubmitOutcomeUnknownException(x.model(), closed) : closed;
    }

    /** A DEBUG line, every argument cleaned of keys and inline images. */
    public void debug(String format, Object... args) {
        if (log.isDebugEnabled()) {
            Object[] clean = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                clean[i] = args[i] == null ? null : Secrets.redact(args[i].toString());
            }
            log.debug(format, clean);
        }
    }

    /** An attempt of the exchange starts (the client's {@link dev.segmindkit.core.ExchangeListener} hears it). */
    public void attemptStarted(Exchange x) {
        if (exchanges != dev.segmindkit.core.ExchangeListener.none()) {
            exchanges.attemptStarted(x.operation());
        }
    }

    /** The attempt ended, answered (null) or failed. */
    public void attemptEnded(Exchange x, Throwable failure) {
        if (exchanges != dev.segmindkit.core.ExchangeListener.none()) {
            exchanges.attemptEnded(x.operation(), failure);
        }
    }

    /** Logs an answer's status and time. */
    public void answered(Exchange x, int status, long startedNanos) {
        if (log.isDebugEnabled()) {
            debug("{} -> {} in {} ms", x.operation(), status, (System.nanoTime() - startedNanos) / 1_000_000);
        }
    }

    /** Logs a POST's body. */
    public void sending(Exchange x) {
        if (x.body() != null && log.isDebugEnabled()) {
            debug("{} {}", x.operation(), new String(x.body(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Whether a failure tells of the service failing (a network failure, a 5xx), as a circuit
     * breaker counts it; a refused key, a bad request or a 429 says nothing of the service's health.
     */
    public static boolean serviceFailure(Throwable failure) {
        return failure instanceof SegmindIOException && !(failure instanceof MediaGuard.RefusedException)
                || failure instanceof dev.segmindkit.core.ServerException;
    }

    /** Whether the failure is known to come before any byte of the request was written. */
    public static boolean neverSent(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof java.net.http.HttpConnectTimeoutException || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException || t instanceof NoRouteToHostException || t instanceof SSLHandshakeException
                    || t instanceof javax.net.ssl.SSLException && handshake(t)
                    || t instanceof MediaGuard.RefusedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * An {@code SSLException} of the handshake (before it, no byte of the request can have left):
     * the JDK reports a server that does not speak TLS as "Unrecognized SSL message", not as an
     * {@link SSLHandshakeException}.
     */
    private static boolean handshake(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("unrecognized ssl message") || m.contains("handshake")) {
            return true;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().contains("Handshake") || e.getMethodName().contains("Handshake")) {
                return true;
            }
        }
        return false;
    }

    private static boolean interrupted(Throwable cause) {
        return cause instanceof InterruptedIOException && !(cause instanceof SocketTimeoutException)
                || cause.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted();
    }

    /** A duration in whole milliseconds, rounded up: the resolution both clients wait at. */
    public static long ceilMillis(Duration d) {
        long millis = d.toMillis();
        return Duration.ofMillis(millis).equals(d) ? millis : millis + 1;
    }
}
