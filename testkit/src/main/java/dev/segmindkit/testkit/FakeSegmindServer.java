package dev.segmindkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.core.internal.Spec;
import dev.segmindkit.testkit.internal.HttpEngine;
import dev.segmindkit.testkit.internal.Images;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake of the Segmind API on a local port, answering like the real service (docs/ARCHITECTURE.md section
 * 2): v1 runs with image bytes and their headers, v2 submit, status and result with the job
 * lifecycle, credits, asset uploads, output media, and the exact error codes and bodies. Each API
 * key is an isolated {@link Tenant}; a job's state follows its tenant's clock, which can be real
 * time, a {@link ManualClock} shared with the client under test, or auto-advanced by polls.
 *
 * <pre>{@code
 * try (FakeSegmindServer server = FakeSegmindServer.start()) {
 *     Tenant tenant = server.newTenant();
 *     // point the client under test at server.baseUrl() with tenant.apiKey()
 * }
 * }</pre>
 *
 * <p>Starts in milliseconds (the spec and Jackson are loaded on the first request), knows nothing
 * of any test framework, and uses only the JDK's sockets. {@link #close()} stops it and drops every
 * open connection. A server is safe to share between tests running in parallel, one tenant each.
 */
public final class FakeSegmindServer implements AutoCloseable {
    /** How long a request stays retrievable after submission; later both GETs answer 404. */
    public static final Duration RETENTION = Job.RETENTION;

    /** The reserved path prefix of the control API, when enabled. */
    public static final String CONTROL_PREFIX = "/__fake";

    private static volatile Set<String> described;

    private final HttpEngine engine;
    private final TimeSource clock;
    private final Duration autoAdvance;
    private final Duration queued;
    private final Duration processing;
    private final Set<String> extraModels;
    private final Map<String, BigDecimal> prices;
    private final Map<String, Duration[]> timelines;
    final boolean controlApi;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, Job> jobsById = new ConcurrentHashMap<>();
    private final Map<String, Tenant.Asset> assets = new ConcurrentHashMap<>();
    private final URI baseUrl;
    private final String publicBase;

    /**
     * What a job costs on the real service, by model (DESIGN.md section 2: style-transfer about
     * $0.0257 a job, material-transfer about $0.25); {@link #OTHER_MODEL_PRICE} for the rest.
     */
    public static final Map<String, Double> REAL_PRICES = Map.of("style-transfer", 0.0257, "material-transfer", 0.25);

    /** What a job of a model without a known price costs by default. */
    public static final double OTHER_MODEL_PRICE = 0.02;

    private FakeSegmindServer(Builder b) throws IOException {
        this.clock = b.clock;
        this.autoAdvance = b.autoAdvance;
        this.queued = b.queued;
        this.processing = b.processing;
        this.extraModels = Collections.unmodifiableSet(new LinkedHashSet<>(b.models));
        this.prices = Map.copyOf(b.prices);
        this.timelines = Map.copyOf(b.timelines);
        this.controlApi = b.controlApi;
        this.engine = HttpEngine.start(b.address, b.port, new FakeApi(this));
        InetAddress address = engine.address();
        String host = address.isAnyLocalAddress() ? "127.0.0.1"
                : address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        this.baseUrl = URI.create("http://" + host + ":" + engine.port());
        String pub = b.publicBaseUrl != null ? b.publicBaseUrl.toString() : baseUrl.toString();
        this.publicBase = pub.endsWith("/") ? pub.substring(0, pub.length() - 1) : pub;
    }

    /**
     * A server on a free loopback port, on real time with short job durations.
     *
     * @throws UncheckedIOException if no port can be bound
     */
    public static FakeSegmindServer start() {
        return builder().start();
    }

    /** A builder for anything other than the defaults of {@link #start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where clients send requests, such as {@code http://127.0.0.1:54321}: the API base URL and the upload host alike. */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The base of every absolute URL the fake answers ({@code status_url}, {@code response_url},
     * {@code poll_url}, media and asset URLs): {@link Builder#publicBaseUrl} if set, else {@link
     * #baseUrl()}. Never taken from the request's {@code Host} header, which any client can forge.
     */
    public URI publicBaseUrl() {
        return URI.create(publicBase);
    }

    String publicBase() {
        return publicBase;
    }

    /** The port the server listens on. */
    public int port() {
        return engine.port();
    }

    /**
     * How many client connections are open now: accepted and not yet closed by either side. A
     * connection a client closed leaves this count as soon as the server has read its end, so check
     * that a client released its connections with {@link #awaitOpenConnections}.
     */
    public int openConnections() {
        return engine.openConnections();
    }

    /**
     * Waits until at most {@code max} client connections are open, for at most {@code timeout};
     * {@code awaitOpenConnections(0, ...)} after closing a client proves it left none behind.
     *
     * @return false if more were still open when the time was up
     * @throws IllegalArgumentException if {@code max} is negative
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitOpenConnections(int max, Duration timeout) throws InterruptedException {
        if (max < 0) {
            throw new IllegalArgumentException("a connection count is never negative, got " + max);
        }
        return engine.awaitOpenConnections(max, Objects.requireNonNull(timeout, "timeout"));
    }

    /** The clock new tenants get unless given their own. */
    public TimeSource clock() {
        return clock;
    }

    /** A new tenant with a fresh random key ({@code SG_} and 16 hex digits) on the server's clock. */
    public Tenant newTenant() {
        return register(randomKey(), clock);
    }

    /**
     * A new tenant with a fresh key on its own clock: give each parallel test its own {@link
     * ManualClock} and they never disturb each other's time.
     */
    public Tenant newTenant(TimeSource tenantClock) {
        return register(randomKey(), Objects.requireNonNull(tenantClock, "tenantClock"));
    }

    /**
     * A new tenant with exactly this key, for apps whose key is fixed in their configuration.
     *
     * @throws IllegalArgumentException if the key is blank, has whitespace, or is already in use
     */
    public Tenant newTenant(String apiKey) {
        Objects.requireNonNull(apiKey, "apiKey");
        if (apiKey.isBlank() || hasWhitespace(apiKey)) {
            throw new IllegalArgumentException("an API key must be non-blank and free of whitespace");
        }
        return register(apiKey, clock);
    }

    /** A plain loop: the first tenant of a JVM should not pay for the stream machinery. */
    private static boolean hasWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The tenant of a key, if it is live. */
    public java.util.Optional<Tenant> tenant(String apiKey) {
        return java.util.Optional.ofNullable(apiKey == null ? null : tenants.get(apiKey));
    }

    private Tenant register(String key, TimeSource tenantClock) {
        Tenant tenant = new Tenant(this, key, tenantClock, tenantClock instanceof ManualClock ? autoAdvance : Duration.ZERO);
        if (tenants.putIfAbsent(key, tenant) != null) {
            throw new IllegalArgumentException("the API key " + key + " already belongs to a tenant");
        }
        return tenant;
    }

    private static String randomKey() {
        return String.format(Locale.ROOT, "SG_%016x", Keys.RANDOM.nextLong());
    }

    /** Holds the key source, so a server whose tenants all bring their own keys never seeds a SecureRandom. */
    private static final class Keys {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * Puts every tenant back to its first state, between the test cases of a suite that shares
     * keys: each keeps its key and clock, and loses its jobs, media, assets, scripts, faults and
     * journal; its settings return to the defaults. Use {@link Tenant#revoke()} to drop a key.
     */
    public void reset() {
        tenants.values().forEach(t -> t.reset(autoAdvance));
    }

    /** Stops the server and drops every open connection. Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "FakeSegmindServer[" + baseUrl + ", " + clock + "]";
    }

    // ---- shared with the request handling ----

    Tenant tenantOf(String key) {
        Tenant t = tenants.get(key);
        return t == null || t.revoked() ? null : t;
    }

    List<Tenant> tenants() {
        return new ArrayList<>(tenants.values());
    }

    void forget(Tenant tenant) {
        tenants.remove(tenant.apiKey(), tenant);
        tenant.jobs.values().forEach(this::unindex);
        tenant.assets.keySet().forEach(this::unindexAsset);
    }

    void index(Job job) {
        jobsById.put(job.id, job);
    }

    void unindex(Job job) {
        jobsById.remove(job.id, job);
    }

    Job jobById(String id) {
        return jobsById.get(id);
    }

    void indexAsset(Tenant.Asset asset) {
        assets.put(asset.id, asset);
    }

    void unindexAsset(String id) {
        assets.remove(id);
    }

    Tenant.Asset asset(String id) {
        return assets.get(id);
    }

    /** The models the spec describes, read on first use so starting the server does not load the spec. */
    static Set<String> describedModels() {
        Set<String> d = described;
        if (d == null) {
            d = Collections.unmodifiableSet(new TreeSet<>(Spec.get().describedModels()));
            described = d;
        }
        return d;
    }

    Set<String> knownModels() {
        Set<String> all = new TreeSet<>(describedModels());
        all.addAll(extraModels);
        return all;
    }

    Set<String> knownModelsForControl() {
        return knownModels();
    }

    /** The auto-advance step of tenants on a ManualClock, zero when off. */
    Duration autoAdvanceStep() {
        return autoAdvance;
    }

    boolean isKnownModel(String model) {
        return describedModels().contains(model) || extraModels.contains(model);
    }

    String requireKnownModel(String model) {
        Objects.requireNonNull(model, "model");
        if (!isKnownModel(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "': this fake serves " + String.join(", ", knownModels())
                    + " (add others with FakeSegmindServer.Builder.model)");
        }
        return model;
    }

    Duration defaultQueued(TimeSource tenantClock, String model) {
        if (queued != null) {
            return queued;
        }
        Duration[] own = timelines.get(model);
        if (own != null) {
            return own[0];
        }
        return tenantClock == TimeSource.system() ? Duration.ofMillis(50) : Duration.ofSeconds(2);
    }

    Duration defaultProcessing(TimeSource tenantClock, String model) {
        if (processing != null) {
            return processing;
        }
        Duration[] own = timelines.get(model);
        if (own != null) {
            return own[1];
        }
        if (tenantClock == TimeSource.system()) {
            return Duration.ofMillis(150);
        }
        return Spec.get().typicalDuration(model).orElse(Duration.ofSeconds(10));
    }

    /** The server's price of a job of {@code model}: the builder's, else the real figure. */
    BigDecimal price(String model) {
        BigDecimal own = prices.get(model);
        if (own != null) {
            return own;
        }
        Double real = REAL_PRICES.get(model);
        return BigDecimal.valueOf(real != null ? real : OTHER_MODEL_PRICE);
    }

    /** Reads an image parameter when the fake can: a data URI, raw base64, or an asset uploaded here. */
    BufferedImage readInput(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return null;
        }
        String s = value.asText();
        byte[] bytes = Images.fromDataUri(s);
        if (bytes == null) {
            int at = s.indexOf("/assets/");
            if (at >= 0 && (s.startsWith("http://") || s.startsWith("https://"))) {
                String name = s.substring(at + "/assets/".length());
                int dot = name.indexOf('.');
                Tenant.Asset asset = assets.get(dot < 0 ? name : name.substring(0, dot));
                bytes = asset == null ? null : asset.bytes;
            } else {
                bytes = Images.fromRawBase64(s);
            }
        }
        return Images.decode(bytes);
    }

    /**
     * How a job's outputs look. Style transfer takes its colours from the style image and, with a
     * readable structure image, that image's aspect ratio (its size, scaled down to fit 1024x1024);
     * material transfer takes the material's colours and the subject's size, scaled down to fit
     * max_width x max_height. Unreadable inputs (other hosts' URLs) leave colours to the seed.
     */
    Job.Render renderFor(Job job) {
        JsonNode p = job.params;
        int width = intParam(p, "width", 1024);
        int height = intParam(p, "height", 1024);
        BufferedImage colours;
        if (job.model.equals("style-transfer")) {
            colours = readInput(p.get("style_image"));
            BufferedImage structure = readInput(p.get("structure_image"));
            if (structure != null) {
                int[] fit = fit(structure.getWidth(), structure.getHeight(), 1024, 1024);
                width = fit[0];
                height = fit[1];
            }
        } else if (job.model.equals("material-transfer")) {
            colours = readInput(p.get("material_image"));
            int maxWidth = intParam(p, "max_width", 1920);
            int maxHeight = intParam(p, "max_height", 1920);
            BufferedImage subject = readInput(p.get("subject_image"));
            int[] fit = subject != null ? fit(subject.getWidth(), subject.getHeight(), maxWidth, maxHeight)
                    : new int[] {Math.min(1024, maxWidth), Math.min(1024, maxHeight)};
            width = fit[0];
            height = fit[1];
        } else {
            colours = null;
            for (JsonNode value : p) {
                colours = readInput(value);
                if (colours != null) {
                    break;
                }
            }
        }
        width = Math.max(1, Math.min(Images.MAX_SIDE, width));
        height = Math.max(1, Math.min(Images.MAX_SIDE, height));
        List<Color> palette = colours != null ? Images.palette(colours) : Images.palette(job.seed);
        return new Job.Render(width, height, palette);
    }

    private static int intParam(JsonNode params, String name, int fallback) {
        JsonNode n = params.get(name);
        return n != null && n.isIntegralNumber() && n.canConvertToInt() && n.intValue() > 0 ? n.intValue() : fallback;
    }

    /** A size of the same aspect ratio, scaled down (never up) to fit the box. */
    static int[] fit(int width, int height, int maxWidth, int maxHeight) {
        double scale = Math.min(1.0, Math.min(maxWidth / (double) width, maxHeight / (double) height));
        return new int[] {Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
    }

    /**
     * Settings of a {@link FakeSegmindServer}. Invalid values throw {@link IllegalArgumentException}
     * at the setter.
     */
    public static final class Builder {
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int port;
        private TimeSource clock = TimeSource.system();
        private Duration autoAdvance = Duration.ZERO;
        private Duration queued;
        private Duration processing;
        private final Set<String> models = new LinkedHashSet<>();
        private final Map<String, BigDecimal> prices = new java.util.HashMap<>();
        private final Map<String, Duration[]> timelines = new java.util.HashMap<>();
        private URI publicBaseUrl;
        private boolean controlApi;

        private Builder() {
        }

        /**
         * The port to listen on; 0 (the default) picks a free one.
         *
         * @throws IllegalArgumentException outside 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The address to bind; loopback by default (use the any-address to serve containers). */
        public Builder bindAddress(InetAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The clock of tenants made without their own: {@code TimeSource.system()} (the default), a
         * {@link ManualClock}, or any {@link TimeSource} (the fake reads its {@code now()}, and calls
         * its {@code sleep} only for {@link Fault#delay} and v1 runs).
         */
        public Builder clock(TimeSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Auto-advance for every tenant on a {@link ManualClock}: each status poll moves its clock
         * on by {@code step} before answering. If the server's clock is still the system clock, it
         * becomes a new {@link ManualClock}.
         *
         * @throws IllegalArgumentException if {@code step} is not positive, or the clock was set to
         *     something other than a {@link ManualClock}
         */
        public Builder autoAdvance(Duration step) {
            Objects.requireNonNull(step, "step");
            if (step.isNegative() || step.isZero()) {
                throw new IllegalArgumentException("autoAdvance step must be positive, got " + step);
            }
            if (clock == TimeSource.system()) {
                clock = new ManualClock();
            } else if (!(clock instanceof ManualClock)) {
                throw new IllegalArgumentException("autoAdvance needs a ManualClock, the clock is " + clock);
            }
            this.autoAdvance = step;
            return this;
        }

        /**
         * How long unscripted jobs of every model stay QUEUED and then PROCESSING (see {@link
         * Tenant#timeline} for the defaults).
         *
         * @throws IllegalArgumentException if a duration is negative
         */
        public Builder timeline(Duration queuedFor, Duration processingFor) {
            Objects.requireNonNull(queuedFor, "queuedFor");
            Objects.requireNonNull(processingFor, "processingFor");
            if (queuedFor.isNegative() || processingFor.isNegative()) {
                throw new IllegalArgumentException("a timeline's durations must not be negative, got " + queuedFor + " and " + processingFor);
            }
            this.queued = queuedFor;
            this.processing = processingFor;
            return this;
        }

        /**
         * How long unscripted jobs of {@code model} stay QUEUED and then PROCESSING, for every
         * tenant that does not set its own. {@link #timeline(Duration, Duration)} wins over it.
         *
         * @throws IllegalArgumentException if a duration is negative or the slug is not usable
         */
        public Builder timeline(String model, Duration queuedFor, Duration processingFor) {
            Objects.requireNonNull(queuedFor, "queuedFor");
            Objects.requireNonNull(processingFor, "processingFor");
            if (queuedFor.isNegative() || processingFor.isNegative()) {
                throw new IllegalArgumentException("a timeline's durations must not be negative, got " + queuedFor + " and " + processingFor);
            }
            timelines.put(slug(model), new Duration[] {queuedFor, processingFor});
            return this;
        }

        /**
         * What a job of {@code model} costs, for every tenant that does not set its own price.
         * Without it, the real figures ({@link FakeSegmindServer#REAL_PRICES}, else {@value
         * FakeSegmindServer#OTHER_MODEL_PRICE}).
         *
         * @throws IllegalArgumentException if the cost is negative or not finite, or the slug is not usable
         */
        public Builder price(String model, double cost) {
            if (!Double.isFinite(cost) || cost < 0) {
                throw new IllegalArgumentException("a price must be a finite, non-negative amount, got " + cost);
            }
            prices.put(slug(model), BigDecimal.valueOf(cost));
            return this;
        }

        /**
         * The base of the absolute URLs the fake answers, when clients reach it by another name
         * than {@code http://<bind address>:<port>} (a container's service name, a proxy). Never
         * taken from the {@code Host} header.
         *
         * @throws IllegalArgumentException unless an absolute http or https URL with a host
         */
        public Builder publicBaseUrl(URI url) {
            Objects.requireNonNull(url, "url");
            if (!url.isAbsolute() || url.getHost() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                    || url.getQuery() != null || url.getFragment() != null) {
                throw new IllegalArgumentException("a public base URL is an absolute http(s) URL with a host, such as http://fake:8080, got " + url);
            }
            this.publicBaseUrl = url;
            return this;
        }

        private static String slug(String slug) {
            Objects.requireNonNull(slug, "slug");
            if (slug.isBlank() || slug.contains("/") || slug.equals("requests") || slug.equals("get-user-credits")) {
                throw new IllegalArgumentException("not a usable model slug: '" + slug + "'");
            }
            return slug;
        }

        /**
         * Serves one more model slug besides the spec's two (its parameters pass unchecked; it
         * renders images from {@code width}, {@code height}, {@code output_format} and {@code
         * number_of_images} when given). Other slugs get 404.
         *
         * @throws IllegalArgumentException if the slug is blank or holds a slash
         */
        public Builder model(String slug) {
            Objects.requireNonNull(slug, "slug");
            if (slug.isBlank() || slug.contains("/") || slug.equals("requests") || slug.equals("get-user-credits")) {
                throw new IllegalArgumentException("not a usable model slug: '" + slug + "'");
            }
            models.add(slug);
            return this;
        }

        /**
         * Serves the JSON control API under {@value FakeSegmindServer#CONTROL_PREFIX} (clock,
         * tenants, scripts, faults, journal, reset), for clients that cannot call Java. Off by
         * default; the standalone server turns it on.
         */
        public Builder controlApi(boolean enabled) {
            this.controlApi = enabled;
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws UncheckedIOException if the port cannot be bound
         */
        public FakeSegmindServer start() {
            try {
                return new FakeSegmindServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("the fake Segmind server cannot listen on " + address.getHostAddress() + ":" + port
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
