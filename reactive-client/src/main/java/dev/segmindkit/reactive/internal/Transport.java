package dev.segmindkit.reactive.internal;

import dev.segmindkit.core.ClientClosedException;
import dev.segmindkit.core.ProxySettings;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.internal.Engine;
import dev.segmindkit.core.internal.Exchange;
import dev.segmindkit.core.internal.HttpHeaders;
import dev.segmindkit.core.internal.Route;
import dev.segmindkit.core.internal.UserAgent;
import dev.segmindkit.resilience.Resilience;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.ProxyProvider;
import reactor.netty.resources.LoopResources;
import reactor.util.context.ContextView;

/**
 * Every HTTP exchange of the reactive client. Reactor Netty sends it over a pooled connection;
 * the {@link Engine} decides, the same as for the blocking client: the attempt's time-out (applied
 * here to the whole exchange, body included), what is retried after which wait (through a
 * Resilience4j {@link Retry} of the user's registry, its waits a {@code Mono.delay} on the client's
 * {@link Scheduler}: virtual time in tests), the error for an answer, the log lines.
 *
 * <p><b>Sent or not.</b> A submit is never re-sent once it may have reached the service. Whether
 * it may have is decided per attempt by an {@link Attempt} in the attempt's Reactor {@code
 * Context}, which the connection's request hook marks just before the request is written (after
 * the TLS handshake). A failure before that is "not sent" and may be retried; the hook then refuses
 * to send the abandoned request late.
 *
 * <p><b>Nothing blocks, nothing grows.</b> Bodies are read as Netty buffers on the event loop and
 * stop at the route's size limit; waits and time-outs are scheduled, never slept. {@link #close()}
 * ends every exchange and wait under way at once with {@link ClientClosedException}.
 */
public final class Transport {
    private static final String ATTEMPT_KEY = Transport.class.getName() + ".attempt";

    /**
     * Whether one attempt's request may have reached the service. Decided once: either the
     * request hook marks it sent (just before the request is written), or the attempt's failure or
     * cancellation marks it abandoned first, and then the hook refuses to let it go out at all.
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

    /** What the builder lets a user bring. */
    public static final class Settings {
        public RetryRegistry retryRegistry;
        public CircuitBreaker circuitBreaker;
        public boolean allowPrivateMedia;
        public Consumer<RetryEvent> onRetry = e -> { };
        public Function<ContextView, Map<String, String>> contextHeaders = c -> Map.of();
        public dev.segmindkit.core.ExchangeListener exchangeListener = dev.segmindkit.core.ExchangeListener.none();
    }

    private final Engine engine;
    private final Scheduler scheduler;
    private final ConnectionProvider provider;
    private final LoopResources loops;
    private final HttpClient api;
    private final HttpClient uploads;
    private final HttpClient media;
    private final Resilience resilience;
    private final Sinks.Empty<Void> closing = Sinks.empty();
    /** Set by {@link #close()}: from then on nothing is sent (a disposed pool would open new connections). */
    private volatile boolean closed;

    /**
     * @param loops the event loops to run on, or null for Reactor Netty's shared ones (those
     *     WebFlux runs on); this transport disposes only what it owns
     */
    public Transport(SegmindConfig config, Scheduler scheduler, ConnectionProvider provider, LoopResources loops, Settings settings) {
        this.scheduler = scheduler;
        this.engine = new Engine(config, () -> Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS)), settings.onRetry,
                settings.allowPrivateMedia, settings.exchangeListener, "dev.segmindkit.reactive");
        this.provider = provider;
        this.loops = loops;
        HttpClient base = HttpClient.create(provider)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                // Retries are ours alone: Reactor Netty's own "retry once" could re-send a submit.
                .disableRetry(true)
                .httpResponseDecoder(spec -> spec.maxHeaderSize(Route.Limits.HEADERS))
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
        String key = config.apiKey();
        HttpClient keyed = base.followRedirect(false)
                .headers(h -> h.set("x-api-key", key))
                .doOnRequest((request, connection) -> {
                    Map<String, String> extra = settings.contextHeaders.apply(request.currentContextView());
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
        // Media URLs are public and may be on any host: no key; each connection (redirects too) is
        // checked against the address guard before a byte is written.
        this.media = base.followRedirect((request, response) -> request.redirectedFrom().length < dev.segmindkit.core.internal.MediaGuard.MAX_REDIRECTS
                && engine.mediaGuard().allows(location(request, response)))
                .resolvedAddressesSelector((conf, resolved) -> {
                    // A name that resolves inside the network is refused before connecting.
                    for (java.net.SocketAddress address : resolved) {
                        if (address instanceof InetSocketAddress) {
                            InetSocketAddress a = (InetSocketAddress) address;
                            engine.mediaGuard().check(URI.create("http://" + hostLiteral(a.getHostString())), a.getAddress());
                        }
                    }
                    return resolved;
                })
                .doOnConnected(connection -> {
            // The host the connection was opened for (a redirect's too) and the address it reached.
            if (connection.channel().remoteAddress() instanceof InetSocketAddress) {
                InetSocketAddress remote = (InetSocketAddress) connection.channel().remoteAddress();
                engine.mediaGuard().check(URI.create("http://" + hostLiteral(remote.getHostString())), remote.getAddress());
            }
        });
        this.resilience = new Resilience(engine, settings.retryRegistry, settings.circuitBreaker);
    }

    public Engine engine() {
        return engine;
    }

    public Instant now() {
        return engine.now();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** A wait on the client's scheduler that ends at once, with {@link ClientClosedException}, when the client closes. */
    public Mono<Long> delay(Duration delay, Exchange x) {
        return untilClosed(Mono.delay(delay, scheduler), x);
    }

    private <T> Mono<T> untilClosed(Mono<T> mono, Exchange x) {
        return Mono.firstWithSignal(mono, closing.asMono().then(Mono.error(() -> engine.closed(x))));
    }

    /**
     * Sends the exchange, retrying as the engine allows, and hands a 2xx answer to {@code handler}.
     * Cold: nothing is sent before subscription; cancelling stops at once.
     */
    public <T> Mono<T> exchange(Exchange x, Handler<T> handler) {
        return exchange(x, handler, e -> false);
    }

    /**
     * As {@link #exchange(Exchange, Handler)}; failures of the handler itself that {@code local}
     * accepts (a local file, the caller's own code) are surfaced as they are, not as network
     * failures.
     */
    public <T> Mono<T> exchange(Exchange x, Handler<T> handler, Predicate<Throwable> local) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new ClientClosedException(x.operation(), x.requestId()));
            }
            engine.sending(x);
            Retry.AsyncContext<Object> context = resilience.retryOf(x);
            int[] retries = {0};
            Mono<T> attempts = attempt(x, handler, local)
                    .retryWhen(reactor.util.retry.Retry.from(signals -> signals.concatMap(signal -> {
                        Throwable failure = signal.failure();
                        if (!(failure instanceof SegmindException) || closed) {
                            return Mono.error(failure);
                        }
                        Duration delay = engine.retryDelay(x, (SegmindException) failure, context.onError(failure), ++retries[0]);
                        return delay == null ? Mono.error(failure) : Mono.delay(delay, scheduler);
                    })))
                    .doOnSuccess(v -> context.onComplete())
                    .onErrorMap(SegmindException.class, e -> engine.outcome(x, e));
            return Mono.firstWithSignal(attempts, closing.asMono().then(Mono.error(() -> engine.closed(x))));
        });
    }

    private <T> Mono<T> attempt(Exchange x, Handler<T> handler, Predicate<Throwable> local) {
        return Mono.defer(() -> {
            Duration wait = engine.rateLimitWait();
            if (!wait.isZero()) {
                engine.debug("holding {} for {} until the rate-limit reset", x.operation(), wait);
                return Mono.delay(wait, scheduler).then(once(x, handler, local));
            }
            return once(x, handler, local);
        });
    }

    private <T> Mono<T> once(Exchange x, Handler<T> handler, Predicate<Throwable> local) {
        return Mono.defer(() -> {
            resilience.permit(x);
            Attempt attempt = new Attempt();
            long started = System.nanoTime();
            Duration timeout = engine.attemptTimeout(x);
            HttpClient client = x.route().host() == Route.Host.API ? api : x.route().host() == Route.Host.UPLOAD ? uploads : media;
            HttpMethod method = HttpMethod.valueOf(x.route().method());
            String uri;
            if (x.route() == Route.MEDIA) {
                uri = engine.mediaGuard().check(x.argument()).toString();
            } else {
                uri = x.path();
            }
            HttpClient.ResponseReceiver<?> request;
            HttpClient accepting = client.headers(h -> h.set(HttpHeaderNames.ACCEPT, x.route().accept()));
            if (x.body() == null) {
                request = accepting.request(method).uri(uri);
            } else {
                byte[] body = x.body();
                request = accepting.request(method).uri(uri).send((req, out) -> {
                    req.header(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    return out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
                });
            }
            engine.attemptStarted(x);
            Throwable[] failure = {null};
            return request
                    .response((response, content) -> handle(x, response, content, started, handler))
                    .next()
                    .contextWrite(ctx -> ctx.put(ATTEMPT_KEY, attempt))
                    .timeout(timeout, scheduler)
                    .onErrorMap(e -> !(e instanceof SegmindException) && !local.test(e), e -> e instanceof TimeoutException
                            ? engine.timedOut(x, timeout, !attempt.abandon())
                            : engine.networkFailure(x, e, !attempt.abandon() && !closedBeforeSend(e)))
                    .doOnEach(signal -> {
                        if (signal.isOnNext() || signal.isOnError()) {
                            resilience.record(started, signal.getThrowable());
                        }
                    })
                    .doOnError(e -> failure[0] = e)
                    .doFinally(signal -> {
                        attempt.abandon();
                        engine.attemptEnded(x, failure[0]);
                    });
        });
    }

    private <T> Publisher<T> handle(Exchange x, HttpClientResponse response, ByteBufFlux content, long started, Handler<T> handler) {
        int status = response.status().code();
        engine.answered(x, status, started);
        Map<String, List<String>> headers = headers(response);
        if (status / 100 == 2) {
            long announced = HttpHeaders.firstLong(headers, "content-length").orElse(-1L);
            return handler.handle(new Body(x, headers, content, announced));
        }
        return limited(content, Route.Limits.ERROR, x, true).flatMap(body -> Mono.error(engine.answerError(x, status, headers, body)));
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

    /** The body, at most {@code limit} bytes: over it a typed error, or (truncate) the first {@code limit} bytes. */
    private Mono<byte[]> limited(ByteBufFlux content, int limit, Exchange x, boolean truncate) {
        long[] seen = {0};
        // Past the limit nothing more is read: the rest of the body is cancelled, its connection dropped.
        return content.takeUntil(buf -> (seen[0] += buf.readableBytes()) >= limit + (truncate ? 0 : 1))
                .reduceWith(ByteArrayOutputStream::new, (out, buf) -> {
                    int readable = buf.readableBytes();
                    if (!truncate && out.size() + readable > limit) {
                        throw engine.tooLarge(x, -1);
                    }
                    int take = Math.min(readable, limit - out.size());
                    if (take > 0) {
                        byte[] chunk = new byte[take];
                        buf.getBytes(buf.readerIndex(), chunk);
                        out.write(chunk, 0, take);
                    }
                    return out;
                })
                .map(ByteArrayOutputStream::toByteArray)
                .defaultIfEmpty(new byte[0]);
    }

    /** A redirect's Location, resolved against the URL it came from; an unreadable one is refused by the guard. */
    private static String location(reactor.netty.http.client.HttpClientRequest request,
            reactor.netty.http.client.HttpClientResponse response) {
        String location = response.responseHeaders().get(HttpHeaderNames.LOCATION);
        try {
            return URI.create(request.resourceUrl()).resolve(location == null ? "" : location.strip()).toString();
        } catch (IllegalArgumentException e) {
            return "unreadable:";
        }
    }

    private static String hostLiteral(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    static Map<String, List<String>> headers(HttpClientResponse response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : response.responseHeaders()) {
            out.computeIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }

    /**
     * Ends every exchange and wait under way ({@link ClientClosedException}), then releases the
     * connection pool, and the event loops if this transport owns them; completes when done.
     */
    public Mono<Void> close() {
        closed = true;
        closing.tryEmitEmpty();
        Mono<Void> pool = provider.disposeLater();
        return loops == null ? pool : pool.then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)));
    }

    /** What to do with a 2xx answer. */
    @FunctionalInterface
    public interface Handler<T> {
        Publisher<T> handle(Body body);
    }

    /** A 2xx answer: its headers (names in lower case) and its body, to be consumed once. */
    public final class Body {
        private final Exchange x;
        private final Map<String, List<String>> headers;
        private final ByteBufFlux content;
        private final long announced;

        Body(Exchange x, Map<String, List<String>> headers, ByteBufFlux content, long announced) {
            this.x = x;
            this.headers = headers;
            this.content = content;
            this.announced = announced;
        }

        public Map<String, List<String>> headers() {
            return headers;
        }

        /** The announced Content-Length, or -1. */
        public long announcedLength() {
            return announced;
        }

        /** The whole body, at most the route's limit ({@link Route#bodyLimit()}); over it, a typed error. */
        public Mono<byte[]> bytes() {
            if (announced > x.route().bodyLimit()) {
                return Mono.error(engine.tooLarge(x, announced));
            }
            return limited(content, x.route().bodyLimit(), x, false);
        }

        /** The body as it arrives, not limited in size (streamed to a file or the caller). */
        public ByteBufFlux content() {
            return content;
        }
    }

    /** Used by the body handlers of large answers: each buffer must be released once used. */
    public static void release(ByteBuf buf) {
        if (buf.refCnt() > 0) {
            buf.release();
        }
    }
}
