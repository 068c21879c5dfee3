package dev.segmindkit.sync.internal;

import dev.segmindkit.core.ClientClosedException;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.WaitInterruptedException;
import dev.segmindkit.core.internal.ActiveCalls;
import dev.segmindkit.core.internal.Engine;
import dev.segmindkit.core.internal.Exchange;
import dev.segmindkit.core.internal.HttpHeaders;
import dev.segmindkit.core.internal.Route;
import dev.segmindkit.core.internal.UserAgent;
import dev.segmindkit.core.internal.Watchdog;
import feign.Capability;
import feign.Client;
import feign.Feign;
import feign.FeignException;
import feign.Request;
import feign.RequestInterceptor;
import feign.Response;
import feign.Retryer;
import dev.segmindkit.resilience.Resilience;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every HTTP exchange of the blocking client: sent through a {@code Feign.builder()} proxy of
 * {@link SegmindApi} (the user's own {@link Client}, interceptors and capabilities welcome), retried
 * by a Resilience4j {@link Retry} under the {@link Engine}'s safety rules, each wait on the client's
 * {@code TimeSource}.
 *
 * <p><b>Bounded end to end.</b> Each attempt has one time-out ({@link Engine#attemptTimeout}) for
 * the wait for the headers (the Feign client's read time-out) and for the whole body: a watchdog
 * ({@link Watchdog}) closes a body that stalls or drips past it, so the reading thread fails at once
 * instead of waiting on the server. A v1 image or a media download is instead bounded by an idle
 * time-out, renewed by each chunk, and capped by the call's deadline. Bodies read into memory stop
 * at the route's documented size limit.
 *
 * <p><b>Connections.</b> At most {@code maxConnections} exchanges are under way at once; further
 * callers wait for a slot, each at most its attempt time-out (nothing was sent then).
 *
 * <p><b>Close.</b> {@link #close()} ends every call under way at once: the threads in an exchange
 * or a wait of this client are woken and end in {@link ClientClosedException}.
 */
public final class Transport implements AutoCloseable {

    private final Engine engine;
    private final SegmindConfig config;
    private final SegmindApi api;
    private final SegmindApi uploads;
    private final SegmindApi media;
    private final JdkHttp ownHttp;
    private final Resilience resilience;
    private final Semaphore slots;
    private final int maxConnections;
    private final Watchdog watchdog = new Watchdog("segmindkit-watchdog");
    private final ActiveCalls calls = new ActiveCalls();

    /** What the builder lets a user bring. */
    public static final class Settings {
        public Client client;
        public final List<RequestInterceptor> interceptors = new ArrayList<>();
        public final List<Capability> capabilities = new ArrayList<>();
        public RetryRegistry retryRegistry;
        public CircuitBreaker circuitBreaker;
        public int maxConnections = dev.segmindkit.core.ClientBuilder.DEFAULT_MAX_CONNECTIONS;
        public boolean allowPrivateMedia;
        public Consumer<RetryEvent> onRetry = e -> { };
        public dev.segmindkit.core.ExchangeListener exchangeListener = dev.segmindkit.core.ExchangeListener.none();
    }

    public Transport(SegmindConfig config, Settings settings) {
        this.config = config;
        this.maxConnections = settings.maxConnections;
        // Fair, so a caller that has waited longest goes first and none starves under load.
        this.slots = new Semaphore(maxConnections, true);
        this.engine = new Engine(config, config.timeSource()::now, settings.onRetry, settings.allowPrivateMedia,
                settings.exchangeListener, "dev.segmindkit.sync");
        // HTTP/2 multiplexes polls over few connections to the real API; plain http is only ever
        // loopback (a fake server), where HTTP/1.1 avoids the h2c upgrade dance.
        this.ownHttp = settings.client == null ? new JdkHttp(config.baseUrl().getScheme().equals("https") ? HttpClient.Version.HTTP_2
                : HttpClient.Version.HTTP_1_1, config.connectTimeout(), config.proxy()) : null;
        Client client = settings.client == null ? ownHttp : settings.client;
        String key = config.apiKey();
        String userAgent = UserAgent.of("blocking", config.userAgentProduct());
        RequestInterceptor withKey = template -> template.header("x-api-key", key).header("User-Agent", userAgent);
        this.api = feign(client, settings, withKey).target(SegmindApi.class, config.baseUrl().toString());
        this.uploads = feign(client, settings, withKey).target(SegmindApi.class, config.uploadUrl().toString());
        // Media URLs are public and on other hosts: this target never adds the key.
        this.media = feign(client, settings, template -> template.header("User-Agent", userAgent)).target(SegmindApi.class,
                "http://media.invalid");
        this.resilience = new Resilience(engine, settings.retryRegistry, settings.circuitBreaker);
    }

    private static Feign.Builder feign(Client client, Settings settings, RequestInterceptor ours) {
        Feign.Builder b = Feign.builder().client(client).contract(new RouteContract()).retryer(Retryer.NEVER_RETRY)
                .requestInterceptors(settings.interceptors);
        // Last, so no interceptor of the user's can drop or replace the key or the User-Agent.
        b.requestInterceptor(ours);
        settings.capabilities.forEach(b::addCapability);
        return b;
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Sends the exchange, retrying as the engine allows, and hands a 2xx answer to {@code handler}.
     *
     * @throws SegmindException the failure (a billed request lost after sending as "outcome unknown")
     */
    public <T> T exchange(Exchange x, Handler<T> handler) {
        engine.sending(x);
        Retry.AsyncContext<Object> retry = resilience.retryOf(x);
        Thread self = enter(x);
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    T value = attempt(x, handler);
                    retry.onComplete();
                    return value;
                } catch (SegmindException failure) {
                    SegmindException f = calls.closed() ? closedDuring(x) : failure;
                    Duration delay = f == failure ? engine.retryDelay(x, failure, retry.onError(failure), attempt) : null;
                    if (delay == null) {
                        throw engine.outcome(x, f);
                    }
                    sleep(delay, x);
                }
            }
        } catch (SegmindException e) {
            throw calls.closed() ? engine.closed(x) : e;
        } finally {
            calls.exit(self);
        }
    }

    /**
     * Waits on the client's time source, ending at once (with {@link ClientClosedException}) when
     * the client closes.
     */
    public void sleep(Duration delay, Exchange x) {
        Thread self = enter(x);
        try {
            config.timeSource().sleep(delay);
        } catch (InterruptedException e) {
            throw interrupted(x, e);
        } finally {
            calls.exit(self);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new WaitInterruptedException(x.requestId() == null ? "(none yet)" : x.requestId(), new InterruptedException());
        }
    }

    private Thread enter(Exchange x) {
        if (calls.closed()) {
            throw closedDuring(x);
        }
        return calls.enter();
    }

    /** An interrupt: the client closing (ours), or the caller's (the flag stays set). */
    private SegmindException interrupted(Exchange x, InterruptedException e) {
        if (calls.closed()) {
            return closedDuring(x);
        }
        Thread.currentThread().interrupt();
        return new WaitInterruptedException(x.requestId() == null ? "(none yet)" : x.requestId(), e);
    }

    private ClientClosedException closedDuring(Exchange x) {
        Thread.interrupted();
        return new ClientClosedException(x.operation(), x.requestId());
    }

    private <T> T attempt(Exchange x, Handler<T> handler) {
        Duration held = engine.rateLimitWait();
        if (!held.isZero()) {
            engine.debug("holding {} for {} until the rate-limit reset", x.operation(), held);
            sleep(held, x);
        }
        Duration timeout = engine.attemptTimeout(x);
        resilience.permit(x);
        long started = System.nanoTime();
        engine.attemptStarted(x);
        try {
            T value = send(x, timeout, handler);
            resilience.record(started, null);
            engine.attemptEnded(x, null);
            return value;
        } catch (RuntimeException e) {
            resilience.record(started, e);
            engine.attemptEnded(x, e);
            throw e;
        }
    }

    private <T> T send(Exchange x, Duration timeout, Handler<T> handler) {
        acquireSlot(x, timeout);
        Duration toDeadline = x.deadline() == null ? Duration.ofDays(365) : Duration.between(engine.now(), x.deadline());
        Watchdog.Timer guard = watchdog.start(timeout, toDeadline.compareTo(Engine.MIN_ATTEMPT_TIMEOUT) < 0 ? Engine.MIN_ATTEMPT_TIMEOUT
                : toDeadline);
        Response response = null;
        try {
            try {
                response = call(x, new Request.Options(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS,
                        Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS, false));
            } catch (FeignException | IllegalStateException e) {
                Throwable cause = e instanceof FeignException && e.getCause() != null ? e.getCause() : e;
                throw calls.closed() ? closedDuring(x) : engine.networkFailure(x, cause, true);
            }
            guard.watch(response);
            int status = response.status();
            engine.answered(x, status, guard.started());
            Map<String, List<String>> headers = headers(response);
            // A media redirect is the media fetcher's to follow, each hop checked by the address guard.
            if (status / 100 == 2 || x.route() == Route.MEDIA && status / 100 == 3 && headers.containsKey("location")) {
                return handler.handle(new Body(x, status, response, headers, guard), headers);
            }
            byte[] body = read(x, response, Route.Limits.ERROR, true);
            throw engine.answerError(x, status, headers, body);
        } catch (IOException e) {
            if (calls.closed()) {
                throw closedDuring(x);
            }
            throw guard.expired() ? engine.timedOut(x, timeout, true) : engine.networkFailure(x, e, true);
        } finally {
            guard.cancel();
            if (response != null) {
                response.close();
            }
            slots.release();
        }
    }

    private Response call(Exchange x, Request.Options options) {
        switch (x.route()) {
            case SUBMIT:
                return api.submit(x.argument(), x.body(), options);
            case RUN_SYNC:
                return api.runSync(x.argument(), x.body(), options);
            case STATUS:
                return api.status(x.argument(), options);
            case RESULT:
                return api.result(x.argument(), options);
            case CREDITS:
                return api.credits(options);
            case UPLOAD:
                return uploads.upload(x.body(), options);
            case MEDIA:
                return media.media(checkedMediaAddress(x), options);
            default:
                throw new IllegalStateException("no endpoint for " + x.route());
        }
    }

    private void acquireSlot(Exchange x, Duration timeout) {
        try {
            if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                // Nothing was sent: a submit may be retried like a connect failure.
                throw new SegmindIOException(x.operation() + " failed: no connection free within " + timeout + " (" + maxConnections
                        + " requests under way at once at most)", false, x.requestId(), null);
            }
        } catch (InterruptedException e) {
            throw interrupted(x, e);
        }
    }

    /** At most {@code limit} bytes; over it a typed error, or (for an error answer) the first {@code limit} bytes. */
    private byte[] read(Exchange x, Response response, int limit, boolean truncate) throws IOException {
        if (response.body() == null) {
            return new byte[0];
        }
        try (InputStream in = response.body().asInputStream()) {
            byte[] body = in.readNBytes(truncate ? limit : limit + 1);
            if (!truncate && body.length > limit) {
                throw engine.tooLarge(x, -1);
            }
            return body;
        }
    }

    static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Collection<String>> e : response.headers().entrySet()) {
            out.put(e.getKey().toLowerCase(java.util.Locale.ROOT), new ArrayList<>(e.getValue()));
        }
        return out;
    }

    /**
     * Releases the HTTP client and ends every call under way at once ({@link ClientClosedException});
     * calls made afterwards fail the same way.
     */
    @Override
    public void close() {
        calls.closeAll();
        watchdog.close();
        if (ownHttp != null) {
            ownHttp.close();
        }
    }

    /** What to do with a 2xx answer. */
    @FunctionalInterface
    public interface Handler<T> {
        T handle(Body body, Map<String, List<String>> headers) throws IOException;
    }

    /** A 2xx answer's body, read within the attempt's bounds. */
    public final class Body {
        private final Exchange x;
        private final int status;
        private final Response response;
        private final Map<String, List<String>> headers;
        private final Watchdog.Timer guard;

        Body(Exchange x, int status, Response response, Map<String, List<String>> headers, Watchdog.Timer guard) {
            this.x = x;
            this.status = status;
            this.response = response;
            this.headers = headers;
            this.guard = guard;
        }

        /** The answer's status: 2xx, or a 3xx with a Location for a media download. */
        public int status() {
            return status;
        }

        /** The whole body, at most the route's limit ({@link Route#bodyLimit()}); over it, a typed error. */
        public byte[] bytes() throws IOException {
            long announced = HttpHeaders.firstLong(headers, "content-length").orElse(-1L);
            if (announced > x.route().bodyLimit()) {
                throw engine.tooLarge(x, announced);
            }
            return read(x, response, x.route().bodyLimit(), false);
        }

        /** The body as a stream, renewing the attempt's idle time-out with each chunk; not limited in size. */
        public InputStream stream() throws IOException {
            return guard.renewing(response.body() == null ? InputStream.nullInputStream() : response.body().asInputStream());
        }
    }

    /**
     * The media URL, checked before anything is sent: by the guard, and every address its host
     * resolves to (a name that resolves inside the network is refused like the address itself).
     */
    private URI checkedMediaAddress(Exchange x) {
        URI uri = engine.mediaGuard().check(x.argument());
        try {
            for (java.net.InetAddress address : java.net.InetAddress.getAllByName(uri.getHost())) {
                engine.mediaGuard().check(uri, address);
            }
        } catch (java.net.UnknownHostException e) {
            throw engine.networkFailure(x, e, false);
        }
        return uri;
    }
}
