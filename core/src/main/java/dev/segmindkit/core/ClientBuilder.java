package dev.segmindkit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What both clients' builders set alike: the {@link SegmindConfig} (whole, or its parts), the
 * connection limit and the media address rule. Each setter validates its argument at once.
 *
 * @param <B> the client's own builder
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {
    /** Requests under way at once at most, by default. */
    public static final int DEFAULT_MAX_CONNECTIONS = 100;

    private SegmindConfig config;
    private final SegmindConfig.Builder parts = SegmindConfig.builder();
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private boolean allowPrivateMedia;
    private ExchangeListener exchangeListener = ExchangeListener.none();

    protected ClientBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Uses this config whole; the part setters ({@link #apiKey}, {@link #baseUrl}, ...) are then ignored. */
    public B config(SegmindConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return self();
    }

    /** The API key, sent as {@code x-api-key} to the API and the upload host only. */
    public B apiKey(String apiKey) {
        parts.apiKey(apiKey);
        return self();
    }

    /** The API's base URL ({@code https://api.segmind.com} by default). */
    public B baseUrl(String baseUrl) {
        parts.baseUrl(baseUrl);
        return self();
    }

    /** How jobs are waited for: the poll schedule, the deadline, each request's time-out. */
    public B pollingPolicy(PollingPolicy policy) {
        parts.pollingPolicy(policy);
        return self();
    }

    /** What is retried, and how long to wait before each retry. */
    public B retryPolicy(RetryPolicy policy) {
        parts.retryPolicy(policy);
        return self();
    }

    /** The time-out of opening a connection. */
    public B connectTimeout(Duration timeout) {
        parts.connectTimeout(timeout);
        return self();
    }

    /**
     * Appends the application's product token to the {@code User-Agent}; see {@link
     * SegmindConfig.Builder#userAgentProduct(String)}.
     */
    public B userAgentProduct(String product) {
        parts.userAgentProduct(product);
        return self();
    }

    /** Sends every request (media downloads too) through this HTTP proxy; see {@link ProxySettings}. */
    public B proxy(ProxySettings proxy) {
        parts.proxy(proxy);
        return self();
    }

    /** Fills the key and base URL from the system properties or the environment where unset. */
    public B fromEnv() {
        parts.fromEnv();
        return self();
    }

    /**
     * Requests under way at once at most (100 by default); further calls wait for one to end, each
     * at most its request time-out. Over plain HTTP/1.1 each request under way holds a connection of
     * its own, so this also caps the connections.
     */
    public B maxConnections(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
        this.maxConnections = maxConnections;
        return self();
    }

    /**
     * Whether media downloads may reach loopback, private, link-local and metadata addresses (the
     * API's own hosts are always allowed). Refused by default: an output URL comes from an answer,
     * and could point inside the app's own network.
     */
    public B allowPrivateMediaAddresses(boolean allow) {
        this.allowPrivateMedia = allow;
        return self();
    }

    /** Hears each HTTP attempt of the client (metrics, traces, tests driving a virtual clock). */
    public B exchangeListener(ExchangeListener listener) {
        this.exchangeListener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /** The exchange listener set. */
    protected final ExchangeListener exchangeListenerSetting() {
        return exchangeListener;
    }

    /** The config's parts, for a client's own setters (the blocking client's time source). */
    protected final SegmindConfig.Builder configParts() {
        return parts;
    }

    /**
     * The config: the whole one given, else built from the parts.
     *
     * @throws IllegalStateException if no API key was set
     */
    protected final SegmindConfig buildConfig() {
        return config == null ? parts.build() : config;
    }

    /** The connection limit set. */
    protected final int maxConnectionsSetting() {
        return maxConnections;
    }

    /** Whether private media addresses were allowed. */
    protected final boolean allowPrivateMediaSetting() {
        return allowPrivateMedia;
    }
}
