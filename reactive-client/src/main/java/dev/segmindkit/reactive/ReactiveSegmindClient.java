package dev.segmindkit.reactive;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.ImageInput;
import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.ProxySettings;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.core.internal.Spec;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.reactive.internal.Endpoints;
import dev.segmindkit.reactive.internal.Poller;
import dev.segmindkit.reactive.internal.Transport;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.util.context.ContextView;

/**
 * The non-blocking Segmind client, for Spring WebFlux and other reactive applications: every call
 * answers a cold {@link Mono} or {@link Flux} (nothing is sent before subscription), runs on
 * Reactor Netty's event loops and never blocks a thread. Safe to share; one per application is
 * enough.
 *
 * <pre>{@code
 * ReactiveSegmindClient client = ReactiveSegmindClient.fromEnv();
 * Mono<InferenceResult> result = client.styleTransfer(new StyleTransferRequest()
 *         .styleImage("https://example.com/style.png")
 *         .prompt("a lighthouse at dusk"));
 * }</pre>
 *
 * <p><b>Failures</b> arrive as error signals of the {@link dev.segmindkit.core.SegmindException}
 * family, the same types as the blocking client's: invalid parameters as {@link
 * dev.segmindkit.core.ValidationException} before anything is sent; HTTP errors by status; a FAILED
 * job as {@link InferenceFailedException}; a passed deadline as {@link InferenceTimeoutException}
 * (the job may still run: {@link #await(String)} resumes it); a submit whose answer was lost as
 * {@link SubmitOutcomeUnknownException}, never re-sent. What is retried is the {@link RetryPolicy}'s
 * business, as for the blocking client.
 *
 * <p><b>Time and cancellation.</b> Polls, retry backoffs, rate-limit waits and per-request
 * timeouts are all scheduled on the client's {@link Scheduler} ({@link Schedulers#parallel()} by
 * default; a {@code VirtualTimeScheduler} in tests), so the client reads the time from that
 * scheduler and {@link SegmindConfig#timeSource()} is not used. Disposing a subscription stops at
 * once: the pending delay or the request under way is cancelled and nothing further is sent. The
 * job itself goes on at the service; resume it by its request id.
 *
 * <p><b>Context.</b> The subscriber's Reactor {@code Context} reaches every request; {@link
 * Builder#contextHeaders} turns it into headers (a trace id, say).
 */
public final class ReactiveSegmindClient implements AutoCloseable {
    private final SegmindConfig config;
    private final Transport transport;
    private final Endpoints endpoints;
    private final Poller poller;

    private ReactiveSegmindClient(Builder b, SegmindConfig config) {
        this.config = config;
        // Load the spec (a classpath resource) here, on the caller's thread, rather than on an
        // event loop the first time a request is validated.
        Spec.get();
        ConnectionProvider provider = ConnectionProvider.builder("segmindkit")
                .maxConnections(b.maxConnections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofSeconds(60))
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        LoopResources loops = b.eventLoopThreads == 0 ? null : LoopResources.create("segmindkit-http", b.eventLoopThreads, true);
        this.transport = new Transport(config, b.scheduler, provider, loops, b.onRetry::accept, b.contextHeaders);
        this.endpoints = new Endpoints(transport, config.apiKey());
        this.poller = new Poller(endpoints, config.retryPolicy(), b.onStatusChange::accept);
    }

    /** A builder; {@link Builder#fromEnv()} fills the key and base URL from the environment. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client configured from {@code SEGMIND_API_KEY} and {@code SEGMIND_BASE_URL} (or the
     * {@code segmind.apiKey} and {@code segmind.baseUrl} system properties).
     *
     * @throws IllegalStateException if no key is set, saying how to set one
     */
    public static ReactiveSegmindClient fromEnv() {
        return builder().fromEnv().build();
    }

    /** A client with the given config and the default scheduler and connection pool. */
    public static ReactiveSegmindClient create(SegmindConfig config) {
        return builder().config(config).build();
    }

    /** This client's configuration. */
    public SegmindConfig config() {
        return config;
    }

    // ---- submit, wait, fetch ----

    /** Runs a {@code style-transfer} job: submit, wait with the client's polling policy, fetch. */
    public Mono<InferenceResult> styleTransfer(StyleTransferRequest request) {
        return Mono.defer(() -> run(ModelRequest.styleTransfer(request)));
    }

    /** Runs a {@code material-transfer} job: submit, wait, fetch. */
    public Mono<InferenceResult> materialTransfer(MaterialTransferRequest request) {
        return Mono.defer(() -> run(ModelRequest.materialTransfer(request)));
    }

    /** Runs a job of any model, its parameters as a flat map: submit, wait, fetch. */
    public Mono<InferenceResult> run(String model, Map<String, ?> params) {
        return Mono.defer(() -> run(ModelRequest.of(model, params)));
    }

    /** Runs a job: submit, wait with the client's polling policy, fetch. */
    public Mono<InferenceResult> run(ModelRequest request) {
        Objects.requireNonNull(request, "request");
        return submit(request).flatMap(handle -> poller.await(handle, config.pollingPolicy()));
    }

    public Mono<JobHandle> submit(StyleTransferRequest request) {
        return Mono.defer(() -> submit(ModelRequest.styleTransfer(request)));
    }

    public Mono<JobHandle> submit(MaterialTransferRequest request) {
        return Mono.defer(() -> submit(ModelRequest.materialTransfer(request)));
    }

    public Mono<JobHandle> submit(String model, Map<String, ?> params) {
        return Mono.defer(() -> submit(ModelRequest.of(model, params)));
    }

    /**
     * Submits a job and completes with its handle as soon as the service has accepted it. Sent once:
     * retried only where the service cannot have created the job (connect failure, 429, 503).
     * Errors: {@link dev.segmindkit.core.ValidationException} before sending, {@link
     * SubmitOutcomeUnknownException} if the submit was sent but its answer lost.
     */
    public Mono<JobHandle> submit(ModelRequest request) {
        Objects.requireNonNull(request, "request");
        return Mono.defer(() -> {
            java.time.Instant submittedAt = transport.now();
            return endpoints.submit(request, config.pollingPolicy().requestTimeout())
                    .map(id -> JobHandle.of(id, request.model(), submittedAt));
        });
    }

    /**
     * Each status change of a job (the first status seen included), completing after the terminal
     * one (COMPLETED or FAILED; a FAILED job is a FAILED update here, not an error). Polls with the
     * client's policy; ends with {@link InferenceTimeoutException} at its deadline. Works for any
     * job by its id, from any process, within the service's one-hour retention.
     */
    public Flux<StatusUpdate> watch(String requestId) {
        return watch(requestId, config.pollingPolicy());
    }

    /** As {@link #watch(String)}, with another polling policy. */
    public Flux<StatusUpdate> watch(String requestId, PollingPolicy policy) {
        JobHandle job = JobHandle.of(requestId);
        Objects.requireNonNull(policy, "policy");
        return poller.watch(job, policy);
    }

    /**
     * Waits for a job known by its id (submitted here, elsewhere, or before a timeout) with the
     * client's polling policy and completes with its result. Errors: {@link
     * InferenceFailedException} if it FAILED, {@link InferenceTimeoutException} at the deadline,
     * {@link dev.segmindkit.core.NotFoundException} for an unknown or expired id.
     *
     * @throws IllegalArgumentException at once if the id cannot be a request id
     */
    public Mono<InferenceResult> await(String requestId) {
        return await(requestId, config.pollingPolicy());
    }

    /** As {@link #await(String)}, with another polling policy. */
    public Mono<InferenceResult> await(String requestId, PollingPolicy policy) {
        JobHandle job = JobHandle.of(requestId);
        Objects.requireNonNull(policy, "policy");
        return poller.await(job, policy);
    }

    /**
     * As {@link #await(String)}, for a handle from {@link #submit}, which knows the model's typical
     * duration and when the job was submitted: polls are spaced from the submit on.
     */
    public Mono<InferenceResult> await(JobHandle handle) {
        Objects.requireNonNull(handle, "handle");
        return poller.await(handle, config.pollingPolicy());
    }

    /**
     * Polls a job's status once (transient failures retried). A FAILED job reads as status FAILED
     * here. Errors: {@link dev.segmindkit.core.NotFoundException} for an unknown or expired id.
     */
    public Mono<StatusUpdate> status(String requestId) {
        String id = JobHandle.of(requestId).requestId();
        return endpoints.status(id, null, config.pollingPolicy().requestTimeout())
                .onErrorResume(InferenceFailedException.class, e -> Mono.just(endpoints.failedUpdate(id, e)));
    }

    /**
     * Fetches a job's result once. For a job not finished yet, the result has its current status
     * and no outputs. Errors: {@link InferenceFailedException} if the job FAILED.
     */
    public Mono<InferenceResult> result(String requestId) {
        String id = JobHandle.of(requestId).requestId();
        return endpoints.result(id, config.pollingPolicy().requestTimeout());
    }

    // ---- v1 ----

    /** Runs a job synchronously ({@code POST /v1}) and holds the image in memory. */
    public Mono<SyncImage> runSync(ModelRequest request) {
        Objects.requireNonNull(request, "request");
        return endpoints.runSync(request, v1Timeout());
    }

    /**
     * Runs a job synchronously and streams the image to {@code target} through an asynchronous file
     * channel, never holding it whole; the file appears whole or not at all. Errors: besides the
     * API's, {@link java.io.UncheckedIOException} if the file cannot be written.
     */
    public Mono<SyncResponse> runSync(ModelRequest request, Path target) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(target, "target");
        return endpoints.runSync(request, target, v1Timeout());
    }

    /**
     * Runs a job synchronously and hands the image to {@code handler} as it arrives: the response's
     * figures (its {@link SyncResponse#size()} is the announced Content-Length, or -1 without one)
     * and the body as a {@link Flux} of buffers, each a copy the handler may keep. The body must be
     * consumed within the handler's publisher, which is the pattern that lets the connection go
     * back to its pool; the client completes with the publisher's first value.
     */
    public <T> Mono<T> runSync(ModelRequest request, BiFunction<SyncResponse, Flux<ByteBuffer>, ? extends Publisher<T>> handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        return endpoints.runSync(request, v1Timeout(), handler);
    }

    private Duration v1Timeout() {
        // A v1 call is the whole job (up to about a minute), not one poll.
        return config.pollingPolicy().deadline();
    }

    // ---- account, uploads, outputs ----

    /** The account's credit balance. */
    public Mono<CreditBalance> credits() {
        return endpoints.credits(config.pollingPolicy().requestTimeout());
    }

    /**
     * Uploads local images to the asset host and completes with their URLs, in order, to pass as
     * image parameters. Files are read off the event loops (on the bounded-elastic scheduler).
     * Errors: {@link IllegalArgumentException} for a missing file or one that is not an image.
     */
    public Mono<java.util.List<String>> upload(Path... files) {
        Objects.requireNonNull(files, "files");
        java.util.List<Path> list = Arrays.asList(files.clone());
        return Mono.defer(() -> {
            if (list.isEmpty()) {
                return Mono.error(new IllegalArgumentException("upload needs at least one file"));
            }
            return Flux.fromIterable(list)
                    .concatMap(file -> Mono.fromCallable(() -> ImageInput.file(file).value()).subscribeOn(Schedulers.boundedElastic()))
                    .collectList()
                    .flatMap(dataUrls -> endpoints.upload(dataUrls, config.pollingPolicy().requestTimeout()));
        });
    }

    /**
     * An output's bytes: a media URL fetched with no credentials at all (media links are public;
     * the key never leaves for another origin), or a data URI or raw base64 decoded. Errors: the
     * media host's HTTP error as its {@link dev.segmindkit.core.SegmindApiException}, {@link
     * IllegalArgumentException} for an output of none of the three forms.
     */
    public Mono<byte[]> download(String output) {
        Objects.requireNonNull(output, "output");
        return endpoints.download(output, config.pollingPolicy().requestTimeout().multipliedBy(2));
    }

    /** Saves an output to {@code target}, streamed, without credentials; the file appears whole or not at all. */
    public Mono<Path> download(String output, Path target) {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(target, "target");
        return endpoints.download(output, target, config.pollingPolicy().requestTimeout().multipliedBy(2));
    }

    // ---- lifecycle ----

    /**
     * Starts releasing the connection pool (and the event loops, if {@link
     * Builder#eventLoopThreads} gave the client its own) and returns at once, never blocking.
     * Requests under way fail; a closed client cannot be used again: its calls fail with {@link
     * IllegalStateException} and send nothing.
     *
     * <p>Every connection closes. The client starts no thread of its own besides those event loops;
     * what it leaves running is shared with the application and not its to stop: Reactor Netty's
     * global event loops (when it has none of its own, as with WebFlux), {@link
     * Schedulers#parallel()} (the default scheduler) and {@link Schedulers#boundedElastic()} (file
     * work and reading uploads).
     */
    @Override
    public void close() {
        transport.close().subscribe(null, e -> { });
    }

    /** As {@link #close()}, completing once everything is released. */
    public Mono<Void> closeLater() {
        return transport.close();
    }

    /** Exchanges under way; used by tests that drive a virtual clock. */
    dev.segmindkit.reactive.internal.InFlight inFlight() {
        return transport.inFlight();
    }

    @Override
    public String toString() {
        return "ReactiveSegmindClient{" + config + '}';
    }

    /**
     * Builds a {@link ReactiveSegmindClient}. Either pass a whole {@link SegmindConfig} or set its
     * parts here; each setter validates its argument at once.
     */
    public static final class Builder {
        private SegmindConfig config;
        private final SegmindConfig.Builder parts = SegmindConfig.builder();
        private Scheduler scheduler = Schedulers.parallel();
        private int maxConnections = 100;
        private int eventLoopThreads;
        private Consumer<? super StatusUpdate> onStatusChange = update -> { };
        private Consumer<? super RetryEvent> onRetry = event -> { };
        private Function<ContextView, Map<String, String>> contextHeaders = context -> Map.of();

        private Builder() {
        }

        /** Uses this config; the part setters below are then ignored. */
        public Builder config(SegmindConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder apiKey(String apiKey) {
            parts.apiKey(apiKey);
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            parts.baseUrl(baseUrl);
            return this;
        }

        public Builder pollingPolicy(PollingPolicy policy) {
            parts.pollingPolicy(policy);
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            parts.retryPolicy(policy);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            parts.connectTimeout(timeout);
            return this;
        }

        /**
         * Appends the application's product token to the {@code User-Agent}; see {@link
         * SegmindConfig.Builder#userAgentProduct(String)}.
         *
         * @param product the token, such as {@code my-app/2.1}
         * @return this builder
         */
        public Builder userAgentProduct(String product) {
            parts.userAgentProduct(product);
            return this;
        }

        /**
         * Sends every request (API, uploads, media) through this HTTP proxy, by {@code CONNECT};
         * see {@link ProxySettings}.
         *
         * @param proxy the proxy's settings
         * @return this builder
         */
        public Builder proxy(ProxySettings proxy) {
            parts.proxy(proxy);
            return this;
        }

        /** Fills the key and base URL from the system properties or environment where unset. */
        public Builder fromEnv() {
            parts.fromEnv();
            return this;
        }

        /**
         * Where polls, backoffs and timeouts are scheduled, and the client's clock: {@link
         * Schedulers#parallel()} by default; tests pass a virtual-time scheduler.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Connections kept open to each host at most (100 by default); further requests queue for one. */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Gives the client event loops of its own, this many threads, released by {@link #close()}.
         * By default (0) it shares Reactor Netty's global loops, as WebFlux does.
         */
        public Builder eventLoopThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("eventLoopThreads must be >= 0, got " + threads);
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /**
         * Hears each status change of every wait of this client ({@code run}, {@code await} and
         * {@code watch}), on the thread that saw it: keep it quick and never block.
         */
        public Builder onStatusChange(Consumer<? super StatusUpdate> listener) {
            this.onStatusChange = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Hears each failed request about to be retried, before the wait; quick and non-blocking. */
        public Builder onRetry(Consumer<? super RetryEvent> listener) {
            this.onRetry = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Headers to add to each request to the API and upload hosts, computed from the subscriber's
         * Reactor {@code Context} (to propagate a trace id, say). Never sent to media hosts; cannot
         * set {@code x-api-key} or {@code Authorization}.
         */
        public Builder contextHeaders(Function<ContextView, Map<String, String>> headers) {
            this.contextHeaders = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalStateException if no API key was set
         */
        public ReactiveSegmindClient build() {
            SegmindConfig built = config == null ? parts.build() : config;
            return new ReactiveSegmindClient(this, built);
        }
    }
}
