package dev.segmindkit.reactive.internal;

import dev.segmindkit.core.ProxySettings;
import dev.segmindkit.core.RateLimitException;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.internal.ErrorMapper;
import dev.segmindkit.core.internal.RateLimitGate;
import dev.segmindkit.core.internal.Redaction;
import dev.segmindkit.core.internal.UserAgent;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.ProxyProvider;
import reactor.netty.resources.LoopResources;
import reactor.util.context.ContextView;

/**
 * Every HTTP exchange of the reactive client goes through here. Reactor Netty sends it over a
 * pooled connection; the core {@link RetryPolicy} decides on retries through Resilience4j's
 * asynchronous retry context, which answers "retry after this delay" or "give up" without waiting
 * itself, so each wait is a {@code Mono.delay} on the client's {@link Scheduler} (virtual time in
 * tests); error answers become the core exceptions through {@link ErrorMapper}; each exchange is
 * logged at DEBUG with the key masked and inline images cut short.
 *
 * <p><b>Sent or not.</b> A submit is never re-sent once it may have reached the service. Whether
 * it may have is decided per attempt by an {@link Attempt} in the attempt's Reactor {@code
 * Context}, which the connection's request hook marks just before the request is written. A
 * failure before that (no connection, DNS failure, pool exhausted, a timeout while connecting) is
 * "not sent" and may be retried; the hook then refuses to send the abandoned request late.
 *
 * <p><b>Nothing blocks.</b> Bodies are read as Netty buffers on the event loop; JSON is small and
 * decoded there; waits and timeouts are scheduled, never slept.
 */
public final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger("dev.segmindkit.reactive");
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    private static final String ATTEMPT_KEY = Transport.class.getName() + ".attempt";
    /** Never less than this per attempt: a request started just before the deadline still gets a fair chance. */
    private static final Duration MIN_ATTEMPT_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Whether one attempt's request may have reached the service. Decided once: either the
     * request hook marks it sent (just before the request is written), or the attempt's failure or
     * cancellation marks it abandoned first, and then the hook refuses to let it go out at all. So
     * "not sent" is a promise, and only then is a submit retried.
     */
    static final class Attempt {
        private static final int PENDING = 0;
        private static final int SENT = 1;
        private static final int ABANDONED = 2;
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();

        /** True if the request may go out; false if the attempt was abandoned before. */
        boolean markSent() {
            return state.compareAndSet(PENDING, SENT) || state.get() == SENT;
        }

        /** True if the attempt was abandoned before its request went out (it never will). */
        boolean abandon() {
            return state.compareAndSet(PENDING, ABANDONED) || state.get() == ABANDONED;
        }
    }

    /** Which host a request goes to; the key is sent to the first two only. */
    public enum Host {
        API, UPLOAD, MEDIA
    }

    private final Scheduler scheduler;
    private final String apiKey;
    private final ConnectionProvider provider;
    private final LoopResources loops;
    private final HttpClient api;
    private final HttpClient uploads;
    private final HttpClient media;
    private final Retry readRetry;
    private final Retry submitRetry;
    private final Consumer<RetryEvent> onRetry;
    private final InFlight inFlight = new InFlight();
    private final RateLimitGate rateLimitGate;
    /** Set by {@link #close()}: from then on nothing is sent (a disposed pool would open new connections). */
    private volatile boolean closed;

    /**
     * @param loops the event loops to run on, or null for Reactor Netty's shared ones (those
     *     WebFlux runs on); this transport disposes only what it owns
     * @param contextHeaders headers to add to each API request from the subscriber's Context
     */
    public Transport(SegmindConfig config, Scheduler scheduler, ConnectionProvider provider, LoopResources loops,
            Consumer<RetryEvent> onRetry, Function<ContextView, Map<String, String>> contextHeaders) {
        this.scheduler = scheduler;
        this.apiKey = config.apiKey();
        this.provider = provider;
        this.loops = loops;
        this.onRetry = onRetry;
        this.rateLimitGate = new RateLimitGate(config.retryPolicy().maxServerDelay());
        HttpClient base = HttpClient.create(provider)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                // Retries are ours alone: Reactor Netty's own "retry once" could re-send a submit.
                .disableRetry(true)
                .doOnRequest((request, connection) -> {
                    Object attempt = request.currentContextView().getOrDefault(ATTEMPT_KEY, null);
                    if (attempt instanceof Attempt && !((Attempt) attempt).markSent()) {
                        // The attempt already failed (timed out) or was cancelled, and was judged
                        // "not sent", maybe then retried: this request must never leave.
                        throw new IllegalStateException("request abandoned before it was sent");
                    }
                });
        if (loops != null) {
            base = base.runOn(loops);
        }
        base = base.headers(h -> h.set(HttpHeaderNames.USER_AGENT, UserAgent.of("reactive", config.userAgentProduct())));
        if (config.proxy().isPresent()) {
            ProxySettings p = config.proxy().get();
            base = base.proxy(spec -> spec.type(ProxyProvider.Proxy.HTTP).host(p.host()).port(p.port())
                    .username(p.username().orElse(null)).password(user -> p.password().orElse(null))
                    .nonProxyHostsPredicate(a -> a instanceof InetSocketAddress && p.bypasses(((InetSocketAddress) a).getHostString())));
        }
        // Redirects are never followed with the key: a redirect could point anywhere.
        HttpClient keyed = base.followRedirect(false)
                .headers(h -> h.set("x-api-key", apiKey).set(HttpHeaderNames.ACCEPT, "application/json"))
                .doOnRequest((request, connection) -> {
                    Map<String, String> extra = contextHeaders.apply(request.currentContextView());
                    if (extra != null) {
                        extra.forEach((name, value) -> {
                            if (!name.equalsIgnoreCase("x-api-key") && !name.equalsIgnoreCase("authorization")) {
                                request.header(name, value);
                            }
                        });
                    }
                });
        this.api = keyed.baseUrl(config.baseUrl().toString());
        this.uploads = keyed.baseUrl(config.uploadUrl().toString());
        // Media URLs are public and may be on any host: no key, and redirects are fine.
        this.media = base.followRedirect(true);
        this.readRetry = Retry.of("segmind-reactive-read", retryConfig(config.retryPolicy(), RetryPolicy.Operation.READ));
        this.submitRetry = Retry.of("segmind-reactive-submit", retryConfig(config.retryPolicy(), RetryPolicy.Operation.SUBMIT));
    }

    private RetryConfig retryConfig(RetryPolicy policy, RetryPolicy.Operation operation) {
        return RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(e -> policy.isRetryable(operation, e, now()))
                .intervalBiFunction((Integer attempt, io.github.resilience4j.core.functions.Either<Throwable, Object> outcome) ->
                        policy.delayBeforeRetry(attempt, outcome.isLeft() ? outcome.getLeft() : null, now(),
                                ThreadLocalRandom.current().nextDouble()).toMillis())
                .build();
    }

    /** How long from now until the rate-limit reset a 429 asked for; zero when no request is held. */
    public Duration rateLimitWait() {
        return rateLimitGate.waitFrom(now());
    }

    /** The client's time: its scheduler's clock. */
    public Instant now() {
        return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Exchanges under way, counted from the first attempt's start to the end of its body's handling. */
    public InFlight inFlight() {
        return inFlight;
    }

    /**
     * Sends a request, retrying as the policy allows, and hands a 2xx answer to the call's
     * handler. Cold: nothing is sent before subscription; cancelling stops at once.
     */
    public <T> Mono<T> exchange(Call<T> call) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("this ReactiveSegmindClient is closed"));
            }
            Retry.AsyncContext<Object> context = (call.kind == RetryPolicy.Operation.READ ? readRetry : submitRetry).asyncContext();
            int[] retries = {0};
            return attempt(call)
                    .retryWhen(reactor.util.retry.Retry.from(signals -> signals.concatMap(signal -> {
                        Throwable failure = signal.failure();
                        if (!(failure instanceof SegmindException)) {
                            return Mono.error(failure);
                        }
                        long delayMillis = context.onError(failure);
                        if (delayMillis < 0) {
                            return Mono.error(failure);
                        }
                        Duration delay = Duration.ofMillis(delayMillis);
                        if (call.deadline != null && now().plus(delay).isAfter(call.deadline)) {
                            LOG.debug("{}: not retrying after {}, the wait of {} would pass the deadline", call.operation,
                                    failure.getMessage(), delay);
                            return Mono.error(failure);
                        }
                        RetryEvent event = new RetryEvent(call.operation, call.requestId, ++retries[0], failure, delay);
                        LOG.debug("{}", event);
                        onRetry.accept(event);
                        return Mono.delay(delay, scheduler);
                    })))
                    .doOnSuccess(v -> context.onComplete());
        });
    }

    private <T> Mono<T> attempt(Call<T> call) {
        return Mono.defer(() -> {
            Duration wait = rateLimitGate.waitFrom(now());
            if (!wait.isZero()) {
                LOG.debug("holding {} for {} until the rate-limit reset", call.operation, wait);
                return Mono.delay(wait, scheduler).then(once(call));
            }
            return once(call);
        });
    }

    private <T> Mono<T> once(Call<T> call) {
        return Mono.defer(() -> {
            Attempt attempt = new Attempt();
            long started = System.nanoTime();
            HttpClient client = call.host == Host.API ? api : call.host == Host.UPLOAD ? uploads : media;
            HttpClient.ResponseReceiver<?> request;
            if (call.body == null) {
                request = client.request(call.method).uri(call.uri);
            } else {
                byte[] body = call.body;
                request = client.request(call.method).uri(call.uri).send((req, out) -> {
                    req.header(HttpHeaderNames.CONTENT_TYPE, "application/json").header(HttpHeaderNames.ACCEPT, call.accept);
                    return out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
                });
            }
            inFlight.increment();
            return request
                    .response((response, content) -> handle(call, response, content, started))
                    .next()
                    .contextWrite(ctx -> ctx.put(ATTEMPT_KEY, attempt))
                    .timeout(attemptTimeout(call), scheduler)
                    .onErrorMap(e -> !(e instanceof SegmindException) && !call.passThrough.test(e),
                            e -> networkFailure(call, e, !attempt.abandon() && !closedBeforeSend(e)))
                    .doFinally(signal -> {
                        attempt.abandon();
                        inFlight.decrement();
                    });
        });
    }

    private Duration attemptTimeout(Call<?> call) {
        if (call.deadline == null) {
            return call.timeout;
        }
        Duration left = Duration.between(now(), call.deadline);
        Duration capped = left.compareTo(call.timeout) < 0 ? left : call.timeout;
        return capped.compareTo(MIN_ATTEMPT_TIMEOUT) < 0 ? MIN_ATTEMPT_TIMEOUT : capped;
    }

    private <T> Publisher<T> handle(Call<T> call, HttpClientResponse response, ByteBufFlux content, long started) {
        int status = response.status().code();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> {} in {} ms", Redaction.redact(call.operation, apiKey), status, (System.nanoTime() - started) / 1_000_000);
        }
        Map<String, List<String>> headers = headers(response);
        if (status / 100 == 2) {
            return call.handler.handle(headers, content);
        }
        return limited(content, ERROR_BODY_LIMIT).flatMap(body -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} error body: {}", call.operation, Redaction.redact(new String(body, StandardCharsets.UTF_8), apiKey));
            }
            SegmindException error = ErrorMapper.map(status, headers, body, call.operation, call.requestId, now(), apiKey);
            if (error instanceof RateLimitException) {
                rateLimitGate.note((RateLimitException) error, now());
            }
            return Mono.error(error);
        });
    }


    /**
     * Reactor Netty's own word that the connection closed before any byte of the request was
     * written (a pooled connection the server closed, seen just after the request hook ran): not
     * sent, whatever the hook marked. Its other "premature close" errors come after the request
     * was written, and stay "sent".
     */
    static boolean closedBeforeSend(Throwable e) {
        return e instanceof reactor.netty.channel.AbortedException && "Connection has been closed BEFORE send operation".equals(e.getMessage());
    }

    private SegmindException networkFailure(Call<?> call, Throwable e, boolean sent) {
        // The flag alone decides: a connect failure, an unknown host or an exhausted pool all come
        // before the request hook, and anything after it may have reached the service.
        boolean neverSent = !sent;
        String what = e instanceof TimeoutException ? "no answer within the request timeout"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        String message = call.operation + " failed: " + Redaction.redact(what, apiKey);
        return new SegmindIOException(message, !neverSent, call.requestId, e);
    }

    /** The whole body, at most {@code limit} bytes of it (the rest is read and dropped). */
    static Mono<byte[]> limited(ByteBufFlux content, int limit) {
        return content.reduceWith(ByteArrayOutputStream::new, (out, buf) -> {
            int take = Math.min(buf.readableBytes(), limit - out.size());
            if (take > 0) {
                byte[] chunk = new byte[take];
                buf.getBytes(buf.readerIndex(), chunk);
                out.write(chunk, 0, take);
            }
            return out;
        }).map(ByteArrayOutputStream::toByteArray).defaultIfEmpty(new byte[0]);
    }

    /** The whole body of a small answer. */
    public static Mono<byte[]> whole(ByteBufFlux content) {
        return content.aggregate().asByteArray().defaultIfEmpty(new byte[0]);
    }

    static Map<String, List<String>> headers(HttpClientResponse response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : response.responseHeaders()) {
            out.computeIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }

    /**
     * Releases the connection pool, and the event loops if this transport owns them; completes when
     * done. Requests started afterwards fail with {@link IllegalStateException}.
     */
    public Mono<Void> close() {
        closed = true;
        Mono<Void> pool = provider.disposeLater();
        return loops == null ? pool : pool.then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)));
    }

    /** What to do with a 2xx answer: its headers (names in lower case) and its body, to be consumed. */
    @FunctionalInterface
    public interface Handler<T> {
        Publisher<T> handle(Map<String, List<String>> headers, ByteBufFlux body);
    }

    /** One request, as the client describes it. */
    public static final class Call<T> {
        final String operation;
        final RetryPolicy.Operation kind;
        final Host host;
        final HttpMethod method;
        final String uri;
        final byte[] body;
        final String requestId;
        final Instant deadline;
        final Duration timeout;
        final Handler<T> handler;
        final java.util.function.Predicate<Throwable> passThrough;
        final String accept;

        private Call(String operation, RetryPolicy.Operation kind, Host host, HttpMethod method, String uri, byte[] body,
                String requestId, Instant deadline, Duration timeout, Handler<T> handler, java.util.function.Predicate<Throwable> passThrough,
                String accept) {
            this.operation = operation;
            this.kind = kind;
            this.host = host;
            this.method = method;
            this.uri = uri;
            this.body = body;
            this.requestId = requestId;
            this.deadline = deadline;
            this.timeout = timeout;
            this.handler = handler;
            this.passThrough = passThrough;
            this.accept = accept;
        }

        /** A GET that changes nothing and may be retried. */
        public static <T> Call<T> read(Host host, String path, String requestId, Duration timeout, Handler<T> handler) {
            return new Call<>("GET " + describe(host, path), RetryPolicy.Operation.READ, host, HttpMethod.GET, path, null, requestId,
                    null, timeout, handler, e -> false, "application/json");
        }

        /** A POST that may start a billed job: sent again only where it cannot have arrived. */
        public static <T> Call<T> submit(Host host, String path, byte[] json, Duration timeout, Handler<T> handler) {
            return new Call<>("POST " + path, RetryPolicy.Operation.SUBMIT, host, HttpMethod.POST, path, Objects.requireNonNull(json),
                    null, null, timeout, handler, e -> false, "application/json");
        }

        /** No wait before a retry may end after {@code deadline}, and each attempt's timeout is capped at the time left. */
        public Call<T> deadline(Instant deadline) {
            return new Call<>(operation, kind, host, method, uri, body, requestId, deadline, timeout, handler, passThrough, accept);
        }

        /** Failures of the handler itself (a local file, say) that are surfaced as they are, not as network failures. */
        public Call<T> passThrough(java.util.function.Predicate<Throwable> passThrough) {
            return new Call<>(operation, kind, host, method, uri, body, requestId, deadline, timeout, handler, passThrough, accept);
        }

        /** The media types the caller takes, for a POST (an image for v1). */
        public Call<T> accept(String accept) {
            return new Call<>(operation, kind, host, method, uri, body, requestId, deadline, timeout, handler, passThrough, accept);
        }

        private static String describe(Host host, String path) {
            if (host != Host.MEDIA) {
                return path;
            }
            URI uri = URI.create(path);
            return uri.getHost() + uri.getRawPath();
        }
    }

    /** Used by the body handlers of large answers: each buffer must be released once used. */
    public static void release(ByteBuf buf) {
        if (buf.refCnt() > 0) {
            buf.release();
        }
    }
}
