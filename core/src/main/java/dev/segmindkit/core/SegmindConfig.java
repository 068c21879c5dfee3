package dev.segmindkit.core;

import dev.segmindkit.core.internal.UserAgent;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything a client needs to reach the service: the API key, the base URLs, the polling and
 * retry policies, the time source and the connect timeout. Immutable; built with {@link
 * #builder()}, or {@link #fromEnv()} to read the key and base URL from the environment.
 *
 * <p><b>Precedence.</b> A value set on the builder wins over the system property ({@code
 * segmind.apiKey}, {@code segmind.baseUrl}), which wins over the environment variable ({@code
 * SEGMIND_API_KEY}, {@code SEGMIND_BASE_URL}).
 *
 * <p><b>Safety.</b> The key is never shown by {@link #toString()}. A plain {@code http://} base
 * URL is refused unless its host is a loopback address, so the key never crosses a network in
 * clear text.
 */
public final class SegmindConfig {
    /** The production API. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.segmind.com");
    /** The production asset host, used by uploads. */
    public static final URI DEFAULT_UPLOAD_URL = URI.create("https://workflows-api.segmind.com");

    static final String KEY_PROPERTY = "segmind.apiKey";
    static final String BASE_URL_PROPERTY = "segmind.baseUrl";
    static final String KEY_ENV = "SEGMIND_API_KEY";
    static final String BASE_URL_ENV = "SEGMIND_BASE_URL";

    private final String apiKey;
    private final URI baseUrl;
    private final URI uploadUrl;
    private final PollingPolicy pollingPolicy;
    private final RetryPolicy retryPolicy;
    private final TimeSource timeSource;
    private final Duration connectTimeout;
    private final String userAgentProduct;
    private final ProxySettings proxy;

    private SegmindConfig(Builder b) {
        this.apiKey = b.apiKey;
        // From here on, no SDK message, log line or toString shows it (see Secrets).
        dev.segmindkit.core.internal.Secrets.register(b.apiKey);
        this.baseUrl = b.baseUrl;
        this.uploadUrl = b.uploadUrl != null ? b.uploadUrl : b.baseUrl.equals(DEFAULT_BASE_URL) ? DEFAULT_UPLOAD_URL : b.baseUrl;
        this.pollingPolicy = b.pollingPolicy;
        this.retryPolicy = b.retryPolicy;
        this.timeSource = b.timeSource;
        this.connectTimeout = b.connectTimeout;
        this.userAgentProduct = b.userAgentProduct;
        this.proxy = b.proxy;
    }

    /** A builder with the defaults and no key. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A config from the system properties and environment alone.
     *
     * @throws IllegalStateException if no key is set, with a message saying how to set one
     * @throws IllegalArgumentException if the base URL found there is invalid
     */
    public static SegmindConfig fromEnv() {
        return builder().fromEnv().build();
    }

    /** A builder holding this config's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.apiKey = apiKey;
        b.baseUrl = baseUrl;
        b.uploadUrl = uploadUrl;
        b.pollingPolicy = pollingPolicy;
        b.retryPolicy = retryPolicy;
        b.timeSource = timeSource;
        b.connectTimeout = connectTimeout;
        b.userAgentProduct = userAgentProduct;
        b.proxy = proxy;
        return b;
    }

    /** The API key, sent as {@code x-api-key} to {@link #baseUrl()} and {@link #uploadUrl()} only. */
    public String apiKey() {
        return apiKey;
    }

    /** The API's base URL, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The asset host for uploads: the production asset host when the base URL is the production
     * API, else the base URL itself (a fake server serves both).
     */
    public URI uploadUrl() {
        return uploadUrl;
    }

    public PollingPolicy pollingPolicy() {
        return pollingPolicy;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public TimeSource timeSource() {
        return timeSource;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The application's own product token, appended to the SDK's {@code User-Agent} on every
     * request ({@code segmindkit-java/<version> (<blocking|reactive>; Java <version>) <token>}).
     *
     * @return the token, or empty when the application gave none
     */
    public Optional<String> userAgentProduct() {
        return Optional.ofNullable(userAgentProduct);
    }

    /**
     * The HTTP proxy that requests go through.
     *
     * @return the proxy, or empty to connect directly
     */
    public Optional<ProxySettings> proxy() {
        return Optional.ofNullable(proxy);
    }

    @Override
    public String toString() {
        return "SegmindConfig{apiKey=" + mask(apiKey) + ", baseUrl=" + baseUrl + ", uploadUrl=" + uploadUrl + ", pollingPolicy="
                + pollingPolicy + ", retryPolicy=" + retryPolicy + ", timeSource=" + timeSource + ", connectTimeout="
                + connectTimeout + (userAgentProduct == null ? "" : ", userAgentProduct=" + userAgentProduct)
                + (proxy == null ? "" : ", proxy=" + proxy) + '}';
    }

    /** How a key is shown anywhere it must be mentioned: never any of its characters. */
    static String mask(String key) {
        return key == null ? "(none)" : "****";
    }

    /** Builds a {@link SegmindConfig}; each setter validates its argument at once. */
    public static final class Builder {
        private String apiKey;
        private URI baseUrl = DEFAULT_BASE_URL;
        private boolean baseUrlSet;
        private URI uploadUrl;
        private PollingPolicy pollingPolicy = PollingPolicy.defaults();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private TimeSource timeSource = TimeSource.system();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private String userAgentProduct;
        private ProxySettings proxy;

        private Builder() {
        }

        /**
         * The API key.
         *
         * @throws IllegalArgumentException if it is blank or holds whitespace or control characters
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = checkKey(apiKey, "the API key given to apiKey(...)");
            return this;
        }

        /**
         * The API's base URL, such as {@code https://api.segmind.com} or a fake server's URL.
         *
         * @throws IllegalArgumentException if it is not an absolute http(s) URL, or is plain
         *     http to a host that is not a loopback address
         */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            return baseUrl(parse(baseUrl, "baseUrl"));
        }

        /** As {@link #baseUrl(String)}. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = checkUrl(baseUrl, "baseUrl");
            this.baseUrlSet = true;
            return this;
        }

        /** The asset host for uploads; by default derived from the base URL (see {@link #uploadUrl()}). */
        public Builder uploadUrl(URI uploadUrl) {
            this.uploadUrl = checkUrl(uploadUrl, "uploadUrl");
            return this;
        }

        public Builder pollingPolicy(PollingPolicy policy) {
            this.pollingPolicy = Objects.requireNonNull(policy, "pollingPolicy");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** Where the client reads the time and waits; tests pass a controllable clock. */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * The application's own product token, such as {@code my-app/2.1}, appended to the SDK's
         * {@code User-Agent} so the service's logs tell the application apart.
         *
         * @param product the token: printable ASCII, without leading or trailing spaces
         * @return this builder
         * @throws IllegalArgumentException if it is blank or holds a character a header cannot carry
         */
        public Builder userAgentProduct(String product) {
            this.userAgentProduct = UserAgent.checkProduct(product);
            return this;
        }

        /**
         * An HTTP proxy for every request of the client (API, uploads and media downloads).
         *
         * @param proxy the proxy's settings
         * @return this builder
         */
        public Builder proxy(ProxySettings proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /**
         * Fills the key and base URL from the system properties {@code segmind.apiKey} and
         * {@code segmind.baseUrl}, else the environment variables {@code SEGMIND_API_KEY} and
         * {@code SEGMIND_BASE_URL}, where this builder has none set yet.
         */
        public Builder fromEnv() {
            return fromEnv(System::getProperty, System::getenv);
        }

        Builder fromEnv(UnaryOperator<String> properties, UnaryOperator<String> environment) {
            if (apiKey == null) {
                String fromProperty = blankToNull(properties.apply(KEY_PROPERTY));
                String fromEnv = blankToNull(environment.apply(KEY_ENV));
                if (fromProperty != null) {
                    apiKey = checkKey(fromProperty, "the system property " + KEY_PROPERTY);
                } else if (fromEnv != null) {
                    apiKey = checkKey(fromEnv, "the environment variable " + KEY_ENV);
                }
            }
            if (!baseUrlSet) {
                String fromProperty = blankToNull(properties.apply(BASE_URL_PROPERTY));
                String fromEnv = blankToNull(environment.apply(BASE_URL_ENV));
                if (fromProperty != null) {
                    baseUrl = checkUrl(parse(fromProperty, "the system property " + BASE_URL_PROPERTY), "the system property " + BASE_URL_PROPERTY);
                    baseUrlSet = true;
                } else if (fromEnv != null) {
                    baseUrl = checkUrl(parse(fromEnv, "the environment variable " + BASE_URL_ENV), "the environment variable " + BASE_URL_ENV);
                    baseUrlSet = true;
                }
            }
            return this;
        }

        /**
         * The config.
         *
         * @throws IllegalStateException if no API key was set, with a message saying how to set one
         */
        public SegmindConfig build() {
            if (apiKey == null) {
                throw new IllegalStateException("No Segmind API key. Set the environment variable " + KEY_ENV
                        + " (or the system property " + KEY_PROPERTY + "), or pass one to SegmindConfig.builder().apiKey(...)."
                        + " Keys are created in the Segmind console under API Keys.");
            }
            return new SegmindConfig(this);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }

        private static String checkKey(String key, String source) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException(source + " is blank; an API key is required");
            }
            String trimmed = key.strip();
            for (int i = 0; i < trimmed.length(); i++) {
                char c = trimmed.charAt(i);
                if (c <= ' ' || c == 0x7f || c > 0x7e) {
                    // The key itself is never echoed: only where the bad character is.
                    throw new IllegalArgumentException(source + " holds a whitespace, control or non-ASCII character at position "
                            + i + "; an API key is printable ASCII only");
                }
            }
            return trimmed;
        }

        private URI parse(String url, String source) {
            try {
                return new URI(url.strip());
            } catch (URISyntaxException e) {
                // No cause attached: the parser's message quotes the whole input, which is shown
                // here only with the key masked (a key pasted into the URL must not leak).
                throw new IllegalArgumentException(source + " is not a valid URL: " + masked(e.getMessage()));
            }
        }

        /** Text that quotes a user's value, with this builder's key masked in case it was pasted there. */
        private String masked(String text) {
            return apiKey == null || text == null ? text : text.replace(apiKey, mask(apiKey));
        }

        private URI checkUrl(URI url, String source) {
            Objects.requireNonNull(url, source);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new IllegalArgumentException(source + " must be an absolute http(s) URL with a host, such as "
                        + DEFAULT_BASE_URL + ", got " + masked(url.toString()));
            }
            if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException(source + " must not carry user info, a query or a fragment, got " + url.getScheme()
                        + "://" + masked(url.getHost()) + "...");
            }
            if (scheme.equals("http") && !isLoopback(url.getHost())) {
                throw new IllegalArgumentException(source + " uses plain http to " + masked(url.getHost())
                        + ", which would send the API key in clear text; use https (plain http is allowed only for loopback hosts)");
            }
            String path = url.getRawPath() == null ? "" : url.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return URI.create(scheme + "://" + url.getRawAuthority() + path);
        }

        static boolean isLoopback(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            if (h.equals("localhost")) {
                return true;
            }
            boolean literal = h.startsWith("[") || h.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
            if (!literal) {
                return false;
            }
            try {
                // A literal address is parsed, never looked up.
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
