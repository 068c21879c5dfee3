package dev.segmindkit.sync;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.ImageInput;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.MediaDownloader;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.internal.Engine;
import dev.segmindkit.core.internal.Exchange;
import dev.segmindkit.core.internal.Json;
import dev.segmindkit.core.internal.Route;
import dev.segmindkit.core.internal.WaitLoop;
import dev.segmindkit.core.internal.Wire;
import dev.segmindkit.resilience.ResilientClientBuilder;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.sync.internal.MediaFetch;
import dev.segmindkit.sync.internal.PollRateLimiter;
import dev.segmindkit.sync.internal.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The blocking Segmind client, for Spring MVC, batch jobs and plain Java; safe to share between
 * threads, including thousands of virtual threads.
 *
 * <pre>{@code
 * try (SegmindClient client = SegmindClient.fromEnv()) {
 *     InferenceResult result = client.styleTransfer(new StyleTransferRequest()
 *             .styleImage(ImageInput.file(Path.of("style.png")).value())
 *             .prompt("a lighthouse at dusk"));
 *     client.media().save(result.firstOutput().orElseThrow(), Path.of("out.webp"));
 * }
 * }</pre>
 *
 * <p>Every call validates its parameters against the spec before sending ({@link
 * dev.segmindkit.core.ValidationException}), retries what the {@link dev.segmindkit.core.RetryPolicy} allows, and
 * reports failures as the {@link dev.segmindkit.core.SegmindException} family. A submit whose answer
 * is lost is never re-sent ({@link SubmitOutcomeUnknownException}).
 */
public final class SegmindClient implements AutoCloseable {
    private final SegmindConfig config;
    private final StatusListener listener;
    private final Transport transport;
    private final Engine engine;
    private final PollRateLimiter pollLimiter;
    private final MediaDownloader media;

    private SegmindClient(SegmindConfig config, StatusListener listener, Double pollsPerSecond, Transport.Settings settings) {
        this.config = config;
        this.listener = listener;
        settings.onRetry = listener::onRetry;
        this.transport = new Transport(config, settings);
        this.engine = transport.engine();
        this.pollLimiter = pollsPerSecond == null ? null : new PollRateLimiter(config.timeSource(), pollsPerSecond);
        this.media = MediaDownloader.over(new MediaFetch(transport, config.pollingPolicy().requestTimeout().multipliedBy(2)));
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
    public static SegmindClient fromEnv() {
        return builder().fromEnv().build();
    }

    /** A client with the given config. */
    public static SegmindClient create(SegmindConfig config) {
        return builder().config(config).build();
    }

    /** This client's configuration. */
    public SegmindConfig config() {
        return config;
    }

    /** Runs a {@code style-transfer} job: submit, wait with the client's polling policy, fetch. */
    public InferenceResult styleTransfer(StyleTransferRequest request) {
        return run(ModelRequest.styleTransfer(request));
    }

    /** Runs a {@code material-transfer} job: submit, wait, fetch. */
    public InferenceResult materialTransfer(MaterialTransferRequest request) {
        return run(ModelRequest.materialTransfer(request));
    }

    /** Runs a job of any model: submit, wait, fetch. */
    public InferenceResult run(String model, Map<String, ?> params) {
        return run(ModelRequest.of(model, params));
    }

    /** Runs a job: submit, wait with the client's polling policy, fetch. */
    public InferenceResult run(ModelRequest request) {
        return submit(request).await();
    }

    /** Submits a {@code style-transfer} job; see {@link #submit(ModelRequest)}. */
    public Job submit(StyleTransferRequest request) {
        return submit(ModelRequest.styleTransfer(request));
    }

    /** Submits a {@code material-transfer} job; see {@link #submit(ModelRequest)}. */
    public Job submit(MaterialTransferRequest request) {
        return submit(ModelRequest.materialTransfer(request));
    }

    /** Submits a job of any model; see {@link #submit(ModelRequest)}. */
    public Job submit(String model, Map<String, ?> params) {
        return submit(ModelRequest.of(model, params));
    }

    /**
     * Submits a job and returns at once with its handle. Sent once: retried only where the
     * service cannot have created the job (connect failure, 429, 503).
     *
     * @throws dev.segmindkit.core.ValidationException before sending, for invalid parameters
     * @throws SubmitOutcomeUnknownException if the submit was sent but its answer lost
     */
    public Job submit(ModelRequest request) {
        Objects.requireNonNull(request, "request");
        request.validate();
        Instant submittedAt = config.timeSource().now();
        String requestId = transport.exchange(
                Exchange.post(Route.SUBMIT, request.model(), Json.write(request.params()), null, config.pollingPolicy().requestTimeout()),
                (body, headers) -> Wire.submittedRequestId(body.bytes()));
        engine.debug("submitted {} job {}", request.model(), requestId);
        return new Job(this, JobHandle.of(requestId, request.model(), submittedAt));
    }

    /**
     * The job with this request id, to look at or wait for it from any process within the
     * service's one-hour retention. Sends nothing until used.
     *
     * @throws IllegalArgumentException if the id cannot be a request id
     */
    public Job job(String requestId) {
        return new Job(this, JobHandle.of(requestId));
    }

    /** Runs a job synchronously ({@code POST /v1}) and holds the image in memory. */
    public SyncImage runSync(ModelRequest request) {
        return runSync(request, (body, headers) -> {
            byte[] bytes = body.bytes();
            return new SyncImage(bytes, Wire.syncResponse(headers, bytes.length));
        });
    }

    /**
     * Runs a job synchronously and streams the image to {@code target} without holding it in
     * memory; the file appears whole or not at all.
     */
    public SyncResponse runSync(ModelRequest request, Path target) {
        Objects.requireNonNull(target, "target");
        return runSync(request, (body, headers) -> {
            Path dir = target.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".segmind-", ".part");
            try (InputStream in = body.stream()) {
                long size = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                return Wire.syncResponse(headers, size);
            } finally {
                Files.deleteIfExists(tmp);
            }
        });
    }

    /** Runs a job synchronously and streams the image to {@code out}, which is not closed. */
    public SyncResponse runSync(ModelRequest request, OutputStream out) {
        Objects.requireNonNull(out, "out");
        return runSync(request, (body, headers) -> {
            try (InputStream in = body.stream()) {
                return Wire.syncResponse(headers, in.transferTo(out));
            }
        });
    }

    private <T> T runSync(ModelRequest request, Transport.Handler<T> handler) {
        Objects.requireNonNull(request, "request");
        request.validate();
        Duration deadline = config.pollingPolicy().deadline();
        return transport.exchange(Exchange.post(Route.RUN_SYNC, request.model(), Json.write(request.params()),
                config.timeSource().now().plus(deadline), deadline), handler);
    }

    /** The account's credit balance. */
    public CreditBalance credits() {
        return transport.exchange(Exchange.read(Route.CREDITS, null, null, null, config.pollingPolicy().requestTimeout()),
                (body, headers) -> Wire.credits(body.bytes()));
    }

    /**
     * Uploads local images to the asset host and returns their URLs, in order, to pass as image
     * parameters.
     *
     * @throws IllegalArgumentException if a file is missing or not an image
     */
    public List<String> upload(Path... files) {
        if (files.length == 0) {
            throw new IllegalArgumentException("upload needs at least one file");
        }
        List<String> dataUrls = new ArrayList<>();
        for (Path file : files) {
            dataUrls.add(ImageInput.file(file).value());
        }
        byte[] body = Json.write(Map.of("data_urls", dataUrls));
        List<String> urls = transport.exchange(Exchange.post(Route.UPLOAD, null, body, null, config.pollingPolicy().requestTimeout()),
                (answer, headers) -> Wire.uploadedUrls(answer.bytes()));
        return Wire.checkUploaded(urls, files.length);
    }

    /** Downloads outputs (URLs, data URIs, base64) without ever sending the API key, with this client's retries and time-outs. */
    public MediaDownloader media() {
        return media;
    }

    /** Ends every call under way at once ({@link dev.segmindkit.core.ClientClosedException}) and releases the client's connections and threads. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "SegmindClient{" + config + '}';
    }

    // ---- used by Job ----

    StatusUpdate pollOnce(String requestId, Instant deadline, Duration requestTimeout) {
        return transport.exchange(Exchange.read(Route.STATUS, requestId, requestId, deadline, requestTimeout),
                (body, headers) -> Wire.status(body.bytes(), requestId, config.timeSource().now()));
    }

    InferenceResult fetchResult(String requestId, Instant deadline, Duration requestTimeout) {
        return transport.exchange(Exchange.read(Route.RESULT, requestId, requestId, deadline, requestTimeout),
                (body, headers) -> Wire.result(body.bytes(), requestId));
    }

    InferenceResult await(JobHandle handle, PollingPolicy policy) {
        WaitLoop wait = new WaitLoop(handle, policy, config.retryPolicy(), config.timeSource().now());
        Exchange waiting = Exchange.read(Route.STATUS, handle.requestId(), handle.requestId(), wait.deadline(), policy.requestTimeout());
        while (!wait.done()) {
            Duration held = transport.engine().rateLimitWait();
            if (pollLimiter != null) {
                Duration slot = pollLimiter.reserve();
                held = slot.compareTo(held) > 0 ? slot : held;
            }
            transport.sleep(wait.nextPoll(config.timeSource().now(), held), waiting);
            try {
                StatusUpdate update = pollOnce(handle.requestId(), wait.deadline(), policy.requestTimeout());
                if (wait.seen(update)) {
                    listener.onStatusChange(update);
                }
            } catch (SegmindException e) {
                wait.pollFailed(e, config.timeSource().now());
            }
        }
        return wait.outcome(fetchResult(handle.requestId(), wait.deadline(), policy.requestTimeout()));
    }

    /** Builds a {@link SegmindClient}: the shared settings of {@link dev.segmindkit.core.ClientBuilder}, and the blocking client's own. */
    public static final class Builder extends ResilientClientBuilder<Builder> {
        private StatusListener listener = StatusListener.none();
        private Double pollsPerSecond;
        private final Transport.Settings settings = new Transport.Settings();

        private Builder() {
        }

        /** The clock the client reads and sleeps on (a manual clock in tests). */
        public Builder timeSource(TimeSource timeSource) {
            configParts().timeSource(timeSource);
            return this;
        }

        /** Hears every status change and retry of this client's waits. */
        public Builder statusListener(StatusListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Caps this client's status polls, across all its jobs, at this many per second. */
        public Builder pollRateLimit(double pollsPerSecond) {
            this.pollsPerSecond = PollRateLimiter.checkRate(pollsPerSecond);
            return this;
        }

        /**
         * Feign's HTTP client to send with, instead of the default one on {@code java.net.http}
         * (which ends a read at once on interrupt). It must honour {@link feign.Request.Options}'
         * time-outs; the client bounds the body itself.
         */
        public Builder feignClient(feign.Client client) {
            settings.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** A Feign interceptor run on every request to the API (the key is added after it, and cannot be removed by it). */
        public Builder requestInterceptor(feign.RequestInterceptor interceptor) {
            settings.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** A Feign capability (metrics, logging, tracing) applied to the client's Feign proxies. */
        public Builder capability(feign.Capability capability) {
            settings.capabilities.add(Objects.requireNonNull(capability, "capability"));
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalStateException if no API key was set
         */
        public SegmindClient build() {
            settings.maxConnections = maxConnectionsSetting();
            settings.allowPrivateMedia = allowPrivateMediaSetting();
            settings.retryRegistry = retryRegistrySetting();
            settings.exchangeListener = exchangeListenerSetting();
            settings.circuitBreaker = circuitBreakerSetting();
            return new SegmindClient(buildConfig(), listener, pollsPerSecond, settings);
        }
    }
}
