package dev.segmindkit.sync.internal;

import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.WaitInterruptedException;
import dev.segmindkit.core.internal.ErrorMapper;
import dev.segmindkit.core.internal.RateLimitGate;
import dev.segmindkit.core.internal.UserAgent;
import dev.segmindkit.core.internal.Redaction;
import feign.FeignException;
import feign.Request;
import feign.Response;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP exchange of the blocking client goes through here: Feign's client sends it (the
 * endpoints written out in {@link DirectApi}, not Feign's proxy), Resilience4j
 * decides on retries by the core {@link RetryPolicy}, the wait before a retry goes through the
 * client's {@link TimeSource} (so tests drive it), error answers become the core exceptions, and
 * each exchange is logged at DEBUG with the key masked and inline images cut short.
 *
 * <p>Resilience4j's asynchronous retry context is used even though this client blocks: it takes
 * the decision (retryable? attempts left? how long?) and publishes its events without sleeping
 * itself, which leaves the waiting to the injectable time source instead of a global sleep
 * function.
 *
 * <p><b>Connections.</b> At most {@code maxConnections} exchanges are under way at once; further
 * callers wait for a slot, each at most its request timeout. The JDK's HTTP/1.1 client opens one
 * connection per concurrent request with no limit of its own, so 10,000 virtual threads would
 * otherwise open 10,000 connections at once and overflow the server's accept queue (connections
 * reset before any answer: submits lost). A body handed over as a stream frees its slot when it
 * is handed over.
 */
public final class Transport implements AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("dev.segmindkit.sync");
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    /** The reactive client's default too. */
    public static final int DEFAULT_MAX_CONNECTIONS = 100;

    private final SegmindApi api;
    private final SegmindApi uploads;
    private final JdkHttp http;
    private final TimeSource time;
    private final String apiKey;
    private final Retry readRetry;
    private final Retry submitRetry;
    private final Duration connectTimeout;
    private final Consumer<RetryEvent> onRetry;
    private final RateLimitGate rateLimitGate;
    private final Semaphore slots;
    private final int maxConnections;

    public Transport(SegmindConfig config, Consumer<RetryEvent> onRetry) {
        this(config, onRetry, DEFAULT_MAX_CONNECTIONS);
    }

    /** @param maxConnections exchanges under way at once at most; further callers wait for a slot */
    public Transport(SegmindConfig config, Consumer<RetryEvent> onRetry, int maxConnections) {
        this.maxConnections = checkMaxConnections(maxConnections);
        // Fair, so a caller that has waited longest goes first and none starves under load.
        this.slots = new Semaphore(maxConnections, true);
        this.time = config.timeSource();
        this.apiKey = config.apiKey();
        this.connectTimeout = config.connectTimeout();
        this.onRetry = onRetry;
        this.rateLimitGate = new RateLimitGate(config.retryPolicy().maxServerDelay());
        // HTTP/2 multiplexes polls over few connections to the real API; plain http is only ever
        // loopback (a fake server), where HTTP/1.1 avoids the h2c upgrade dance.
        this.http = new JdkHttp(config.baseUrl().getScheme().equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1,
                connectTimeout, config.proxy(), UserAgent.of("blocking", config.userAgentProduct()));
        // The endpoints are called through Feign's Client, but not through its proxy: see DirectApi.
        this.api = new DirectApi(http, config.baseUrl().toString(), apiKey);
        this.uploads = new DirectApi(http, config.uploadUrl().toString(), apiKey);
        this.readRetry = Retry.of("segmind-read", retryConfig(config.retryPolicy(), RetryPolicy.Operation.READ));
        this.submitRetry = Retry.of("segmind-submit", retryConfig(config.retryPolicy(), RetryPolicy.Operation.SUBMIT));
    }

    private RetryConfig retryConfig(RetryPolicy policy, RetryPolicy.Operation operation) {
        return RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(e -> policy.isRetryable(operation, e, time.now()))
                .intervalBiFunction((Integer attempt, io.github.resilience4j.core.functions.Either<Throwable, Object> outcome) ->
                        policy.delayBeforeRetry(attempt, outcome.isLeft() ? outcome.getLeft() : null, time.now(),
                                ThreadLocalRandom.current().nextDouble()).toMillis())
                .build();
    }

    /** The value, if it is at least 1. */
    public static int checkMaxConnections(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
        return maxConnections;
    }

    /** The endpoints on the API's base URL. */
    public SegmindApi api() {
        return api;
    }

    /** The upload endpoint on the asset host. */
    public SegmindApi uploads() {
        return uploads;
    }

    /** Feign options for one request: the client's connect timeout and this request's timeout. */
    Request.Options options(Duration requestTimeout) {
        return new Request.Options(connectTimeout.toMillis(), TimeUnit.MILLISECONDS, Math.max(1, requestTimeout.toMillis()),
                TimeUnit.MILLISECONDS, false);
    }

    /**
     * Sends a request, retrying as the policy allows, and hands a 2xx response to {@code handler};
     * the response is closed afterwards unless the handler returns its body stream to the caller.
     *
     * @param operation how the request is named in logs, events and errors
     * @param kind whether the request may bill (decides what is retried)
     * @param requestId the job concerned, or null
     * @param deadline no retry wait may end after this instant; null for none
     * @param requestTimeout the timeout of each attempt
     */
    public <T> T exchange(String operation, RetryPolicy.Operation kind, String requestId, Instant deadline, Duration requestTimeout,
            Function<Request.Options, Response> send, ResponseHandler<T> handler) {
        Retry.AsyncContext<Object> context = (kind == RetryPolicy.Operation.READ ? readRetry : submitRetry).asyncContext();
        for (int retry = 1; ; retry++) {
            try {
                T value = once(operation, requestId, requestTimeout(requestTimeout, deadline), send, handler);
                context.onComplete();
                return value;
            } catch (SegmindException failure) {
                if (failure instanceof WaitInterruptedException) {
                    throw failure;
                }
                long delayMillis = context.onError(failure);
                if (delayMillis < 0) {
                    throw failure;
                }
                Duration delay = Duration.ofMillis(delayMillis);
                if (deadline != null && time.now().plus(delay).isAfter(deadline)) {
                    LOG.debug("{}: not retrying after {}, the wait of {} would pass the deadline", operation, failure.getMessage(), delay);
                    throw failure;
                }
                RetryEvent event = new RetryEvent(operation, requestId, retry, failure, delay);
                LOG.debug("{}", event);
                onRetry.accept(event);
                sleep(delay, requestId);
            }
        }
    }

    /** How long from now until the rate-limit reset a 429 asked for; zero when no request is held. */
    public Duration rateLimitWait() {
        return rateLimitGate.waitFrom(time.now());
    }

    private void awaitRateLimitReset(String requestId) {
        Duration wait = rateLimitGate.waitFrom(time.now());
        if (!wait.isZero()) {
            LOG.debug("holding a request {} for the rate-limit reset", wait);
            sleep(wait, requestId);
        }
    }


    private Duration requestTimeout(Duration requestTimeout, Instant deadline) {
        if (deadline == null) {
            return requestTimeout;
        }
        Duration left = Duration.between(time.now(), deadline);
        // Never less than a second: a request started just before the deadline still gets a fair
        // chance to answer rather than failing at once.
        Duration floor = Duration.ofSeconds(1);
        Duration capped = left.compareTo(requestTimeout) < 0 ? left : requestTimeout;
        return capped.compareTo(floor) < 0 ? floor : capped;
    }

    private <T> T once(String operation, String requestId, Duration requestTimeout, Function<Request.Options, Response> send,
            ResponseHandler<T> handler) {
        awaitRateLimitReset(requestId);
        acquireSlot(operation, requestId, requestTimeout);
        try {
            return sendAndHandle(operation, requestId, requestTimeout, send, handler);
        } finally {
            slots.release();
        }
    }

    private void acquireSlot(String operation, String requestId, Duration requestTimeout) {
        try {
            if (!slots.tryAcquire(requestTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                // Nothing was sent: a submit may be retried like a connect failure.
                throw new SegmindIOException(operation + " failed: no connection free within " + requestTimeout + " (" + maxConnections
                        + " requests under way at once at most)", false, requestId, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaitInterruptedException(requestId == null ? "(none yet)" : requestId, e);
        }
    }

    private <T> T sendAndHandle(String operation, String requestId, Duration requestTimeout, Function<Request.Options, Response> send,
            ResponseHandler<T> handler) {
        long started = System.nanoTime();
        Response response;
        try {
            response = send.apply(options(requestTimeout));
        } catch (FeignException e) {
            throw networkFailure(operation, requestId, e);
        }
        boolean handedOver = false;
        try {
            int status = response.status();
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} -> {} in {} ms", Redaction.redact(operation, apiKey), status, (System.nanoTime() - started) / 1_000_000);
            }
            Map<String, List<String>> headers = headers(response);
            if (status / 100 == 2) {
                T value = handler.handle(response, headers);
                handedOver = value instanceof InputStream;
                return value;
            }
            byte[] body = readErrorBody(response);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} error body: {}", operation, Redaction.redact(new String(body, java.nio.charset.StandardCharsets.UTF_8), apiKey));
            }
            SegmindException error = ErrorMapper.map(status, headers, body, operation, requestId, time.now(), apiKey);
            if (error instanceof RateLimitException) {
                rateLimitGate.note((RateLimitException) error, time.now());
            }
            throw error;
        } catch (IOException e) {
            throw networkFailure(operation, requestId, e);
        } finally {
            if (!handedOver) {
                response.close();
            }
        }
    }

    private SegmindException networkFailure(String operation, String requestId, Exception e) {
        Throwable cause = e instanceof FeignException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof InterruptedIOException && !(cause instanceof java.net.SocketTimeoutException)
                || cause.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
            InterruptedException interrupted = new InterruptedException("interrupted during " + operation);
            interrupted.initCause(cause);
            return new WaitInterruptedException(requestId == null ? "(none yet)" : requestId, interrupted);
        }
        boolean neverSent = cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                || cause instanceof UnresolvedAddressException || cause.getCause() instanceof ConnectException
                || cause.getCause() instanceof UnresolvedAddressException;
        String message = operation + " failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + Redaction.redact(cause.getMessage(), apiKey));
        return new SegmindIOException(message, !neverSent, requestId, cause);
    }

    private void sleep(Duration delay, String requestId) {
        try {
            time.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaitInterruptedException(requestId == null ? "(none yet)" : requestId, e);
        }
    }

    private static byte[] readErrorBody(Response response) throws IOException {
        if (response.body() == null) {
            return new byte[0];
        }
        try (InputStream in = response.body().asInputStream()) {
            return in.readNBytes(ERROR_BODY_LIMIT);
        }
    }

    /** The body of a 2xx response, whole; bodies here are small JSON documents. */
    public static byte[] body(Response response) throws IOException {
        if (response.body() == null) {
            return new byte[0];
        }
        Integer length = response.body().length();
        try (InputStream in = response.body().asInputStream()) {
            // One array of the announced size: readAllBytes() starts with a 16 KB buffer for every
            // answer, which was a third of what the client allocated per job (bench/, benchmark 2).
            return length != null ? in.readNBytes(length) : in.readAllBytes();
        }
    }

    static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Collection<String>> e : response.headers().entrySet()) {
            out.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        return out;
    }

    public TimeSource time() {
        return time;
    }

    /** Releases the HTTP client: see {@link JdkHttp#close()} for what that means on each JDK. */
    @Override
    public void close() {
        http.close();
    }

    /** What to do with a 2xx response. */
    @FunctionalInterface
    public interface ResponseHandler<T> {
        T handle(Response response, Map<String, List<String>> headers) throws IOException;
    }
}
