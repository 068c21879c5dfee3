package dev.segmindkit.sync;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.ImageInput;
import dev.segmindkit.core.InferenceFailedException;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.InferenceTimeoutException;
import dev.segmindkit.core.JobHandle;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.MediaDownloader;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.ProxySettings;
import dev.segmindkit.core.RetryPolicy;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.WaitInterruptedException;
import dev.segmindkit.core.internal.Json;
import dev.segmindkit.core.internal.Redaction;
import dev.segmindkit.core.internal.Wire;
import dev.segmindkit.model.MaterialTransferRequest;
import dev.segmindkit.model.StyleTransferRequest;
import dev.segmindkit.sync.internal.PollRateLimiter;
import dev.segmindkit.sync.internal.Transport;
import feign.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * dev.segmindkit.core.ValidationException}), retries what the {@link RetryPolicy} allows, and
 * reports failures as the {@link dev.segmindkit.core.SegmindException} family. A submit whose answer
 * is lost is never re-sent ({@link SubmitOutcomeUnknownException}).
 */
public final class SegmindClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.segmindkit.sync");

    private final SegmindConfig config;
    private final StatusListener listener;
    private final Transport transport;
    private final PollRateLimiter pollLimiter;
    private final MediaDownloader media;

    private SegmindClient(SegmindConfig config, StatusListener listener, Double pollsPerSecond, int maxConnections) {
        this.config = config;
        this.listener = listener;
        this.transport = new Transport(config, listener::onRetry, maxConnections);
        this.pollLimiter = pollsPerSecond == null ? null : new PollRateLimiter(config.timeSource(), pollsPerSecond);
        this.media = MediaDownloader.create(config.pollingPolicy().requestTimeout().multipliedBy(2), config.proxy());
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

    public Job submit(StyleTransferRequest request) {
        return submit(ModelRequest.styleTransfer(request));
    }

    public Job submit(MaterialTransferRequest request) {
        return submit(ModelRequest.materialTransfer(request));
    }

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
        logBody("POST /v2/" + request.model(), request);
        String operation = "POST /v2/" + request.model();
        Instant submittedAt = config.timeSource().now();
        String requestId = billed(request.model(), () -> transport.exchange(operation, RetryPolicy.Operation.SUBMIT, null, null,
                config.pollingPolicy().requestTimeout(),
                options -> transport.api().submit(request.model(), request.params(), options),
                (response, headers) -> Wire.submittedRequestId(Transport.body(response))));
        LOG.debug("submitted {} job {}", request.model(), requestId);
        return new Job(this, JobHandle.of(requestId, request.model(), submittedAt), request.typicalDuration());
    }

    /**
     * The job with this request id, to look at or wait for it from any process within the
     * service's one-hour retention. Sends nothing until used.
     *
     * @throws IllegalArgumentException if the id cannot be a request id
     */
    public Job job(String requestId) {
        return new Job(this, JobHandle.of(requestId), Optional.empty());
    }

    /** Runs a job synchronously ({@code POST /v1}) and holds the image in memory. */
    public SyncImage runSync(ModelRequest request) {
        return runSync(request, (response, headers) -> {
            byte[] bytes = Transport.body(response);
            return new SyncImage(bytes, Wire.syncResponse(headers, bytes.length));
        });
    }

    /**
     * Runs a job synchronously and streams the image to {@code target} without holding it in
     * memory; the file appears whole or not at all.
     */
    public SyncResponse runSync(ModelRequest request, Path target) {
        Objects.requireNonNull(target, "target");
        return runSync(request, (response, headers) -> {
            Path dir = target.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".segmind-", ".part");
            try (InputStream in = response.body().asInputStream()) {
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
        return runSync(request, (response, headers) -> {
            try (InputStream in = response.body().asInputStream()) {
                return Wire.syncResponse(headers, in.transferTo(out));
            }
        });
    }

    private <T> T runSync(ModelRequest request, Transport.ResponseHandler<T> handler) {
        Objects.requireNonNull(request, "request");
        request.validate();
        String operation = "POST /v1/" + request.model();
        logBody(operation, request);
        return billed(request.model(), () -> transport.exchange(operation, RetryPolicy.Operation.SUBMIT, null, null,
                config.pollingPolicy().deadline(), options -> transport.api().runSync(request.model(), request.params(), options),
                handler));
    }

    /** The account's credit balance. */
    public CreditBalance credits() {
        return transport.exchange("GET /v1/get-user-credits", RetryPolicy.Operation.READ, null, null,
                config.pollingPolicy().requestTimeout(), options -> transport.api().credits(options),
                (response, headers) -> Wire.credits(Transport.body(response)));
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
        Map<String, Object> body = Map.of("data_urls", dataUrls);
        List<String> urls = transport.exchange("POST /upload-asset", RetryPolicy.Operation.SUBMIT, null, null,
                config.pollingPolicy().requestTimeout(), options -> transport.uploads().upload(body, options),
                (response, headers) -> Wire.uploadedUrls(Transport.body(response)));
        if (urls.size() != files.length) {
            throw new SegmindIOException("the upload answered " + urls.size() + " URLs for " + files.length + " files", true, null, null);
        }
        return urls;
    }

    /** Downloads outputs (URLs, data URIs, base64) without ever sending the API key. */
    public MediaDownloader media() {
        return media;
    }

    @Override
    public void close() {
        transport.close();
        media.close();
    }

    @Override
    public String toString() {
        return "SegmindClient{" + config + '}';
    }

    // ---- used by Job ----

    StatusUpdate pollOnce(String requestId, Instant deadline, Duration requestTimeout) {
        return transport.exchange("GET /v2/requests/" + requestId + "/status", RetryPolicy.Operation.READ, requestId, deadline,
                requestTimeout, options -> transport.api().status(requestId, options),
                (response, headers) -> Wire.status(Transport.body(response), requestId, config.timeSource().now()));
    }

    InferenceResult fetchResult(String requestId, Instant deadline, Duration requestTimeout) {
        return transport.exchange("GET /v2/requests/" + requestId, RetryPolicy.Operation.READ, requestId, deadline, requestTimeout,
                options -> transport.api().result(requestId, options),
                (response, headers) -> Wire.result(Transport.body(response), requestId));
    }

    InferenceResult await(JobHandle handle, PollingPolicy policy, Optional<Duration> typicalDuration) {
        TimeSource time = config.timeSource();
        String id = handle.requestId();
        Instant start = time.now();
        Instant deadline = start.plus(policy.deadline());
        // The schedule counts from the submit when this process made it, else from now.
        Instant origin = handle.submittedAt().orElse(start);
        JobStatus last = null;
        SegmindException lastFailure = null;
        for (int polls = 0; ; polls++) {
            Instant now = time.now();
            Duration delay = policy.delayBeforePoll(polls, Duration.between(origin, now), typicalDuration);
            if (pollLimiter != null) {
                Duration slot = pollLimiter.reserve();
                delay = slot.compareTo(delay) > 0 ? slot : delay;
            }
            // A poll is held until a 429's reset: counted here, so that a reset past the deadline
            // ends the wait instead of sending the poll late.
            Duration held = transport.rateLimitWait();
            delay = held.compareTo(delay) > 0 ? held : delay;
            if (now.plus(delay).isAfter(deadline)) {
                throw new InferenceTimeoutException(id, last == null ? JobStatus.QUEUED : last, policy.deadline(), lastFailure);
            }
            sleep(delay, id);
            StatusUpdate update;
            try {
                update = pollOnce(id, deadline, policy.requestTimeout());
                lastFailure = null;
            } catch (SegmindException e) {
                // This poll's own retries are spent, but the job is paid for and may well finish:
                // a transient failure only costs a poll, and the wait goes on until the deadline.
                if (e instanceof WaitInterruptedException || !config.retryPolicy().isRetryable(RetryPolicy.Operation.READ, e, time.now())) {
                    throw e;
                }
                lastFailure = e;
                continue;
            }
            if (!update.status().equals(last)) {
                last = update.status();
                listener.onStatusChange(update);
            }
            if (update.status().isTerminal()) {
                // A FAILED status answered with 200 still has its reason on the result endpoint
                // (as a 422), so both terminal states end with one fetch.
                InferenceResult result = fetchResult(id, null, policy.requestTimeout());
                if (result.status().equals(JobStatus.FAILED)) {
                    throw new InferenceFailedException(id, "the service gave no reason", result.metrics());
                }
                return result;
            }
        }
    }

    private void sleep(Duration delay, String requestId) {
        try {
            config.timeSource().sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaitInterruptedException(requestId, e);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new WaitInterruptedException(requestId, new InterruptedException());
        }
    }

    private <T> T billed(String model, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SegmindIOException e) {
            if (e.requestSent()) {
                throw new SubmitOutcomeUnknownException(model, e);
            }
            throw e;
        }
    }

    private void logBody(String operation, ModelRequest request) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}", operation, Redaction.redact(new String(Json.write(request.params()), StandardCharsets.UTF_8), config.apiKey()));
        }
    }

    /**
     * Builds a {@link SegmindClient}. Either pass a whole {@link SegmindConfig} or set its parts
     * here; each setter validates its argument at once.
     */
    public static final class Builder {
        private SegmindConfig config;
        private final SegmindConfig.Builder parts = SegmindConfig.builder();
        private StatusListener listener = StatusListener.none();
        private Double pollsPerSecond;
        private int maxConnections = Transport.DEFAULT_MAX_CONNECTIONS;

        private Builder() {
        }

        /** Uses this config whole; the part setters below are then ignored. */
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

        public Builder timeSource(TimeSource timeSource) {
            parts.timeSource(timeSource);
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
         * Sends every request through this HTTP proxy; see {@link ProxySettings}.
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
         * Requests under way at once at most (100 by default, as the reactive client); further
         * calls wait for one to end, each at most its request timeout. Over plain HTTP/1.1 each
         * request under way holds a connection of its own, so this also caps the connections.
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = Transport.checkMaxConnections(maxConnections);
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalStateException if no API key was set
         */
        public SegmindClient build() {
            SegmindConfig built = config == null ? parts.build() : config;
            return new SegmindClient(built, listener, pollsPerSecond, maxConnections);
        }
    }
}
