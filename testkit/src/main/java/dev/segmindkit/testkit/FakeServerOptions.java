package dev.segmindkit.testkit;

import dev.segmindkit.testkit.internal.Directive;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The command-line options of the standalone fake server, parsed once for both of its doors: the
 * standalone jar ({@code java -jar segmindkit-testkit-<version>-standalone.jar}) and the CLI's
 * {@code segmind fake-server}. Immutable; {@link #parse} refuses a bad option at once.
 *
 * <pre>{@code
 * FakeServerOptions options = FakeServerOptions.parse("--port", "0", "--time", "manual");
 * FakeServerOptions.Running running = options.start();
 * }</pre>
 */
public final class FakeServerOptions {
    /** The options and their meaning, one per line, as both doors print them for {@code --help}. */
    public static final String OPTIONS = String.join(System.lineSeparator(),
            "  --port N            port to listen on (default 8080; 0 picks a free one)",
            "  --host ADDRESS      address to bind (default 127.0.0.1; 0.0.0.0 to serve containers)",
            "  --public-url URL    base of the absolute URLs the fake answers (default http://HOST:PORT),",
            "                      for clients that reach it by another name (a container, a proxy)",
            "  --api-key KEY       accept this key (repeatable; default: one random key, printed)",
            "  --time MODE         real (default), manual (moved by POST /__fake/clock/advance),",
            "                      or auto=STEP (each status poll moves the clock on by STEP, e.g. auto=5s)",
            "  --queued D          how long jobs of every model stay QUEUED (e.g. 2s, 500ms, PT2S)",
            "  --processing D      how long jobs of every model stay PROCESSING",
            "  --model SLUG        serve one more model besides the spec's (repeatable)",
            "  --price SLUG=N      what a job of that model costs (repeatable; default style-transfer 0.0257,",
            "                      material-transfer 0.25, others 0.02)",
            "  --credits N         starting credits of the keys given with --api-key (default 100)",
            "  --help              this text");

    private final int port;
    private final InetAddress host;
    private final URI publicUrl;
    private final List<String> apiKeys;
    private final String time;
    private final Duration queued;
    private final Duration processing;
    private final List<String> models;
    private final Map<String, Double> prices;
    private final Double credits;
    private final boolean help;

    private FakeServerOptions(int port, InetAddress host, URI publicUrl, List<String> apiKeys, String time, Duration queued,
            Duration processing, List<String> models, Map<String, Double> prices, Double credits, boolean help) {
        this.port = port;
        this.host = host;
        this.publicUrl = publicUrl;
        this.apiKeys = Collections.unmodifiableList(apiKeys);
        this.time = time;
        this.queued = queued;
        this.processing = processing;
        this.models = Collections.unmodifiableList(models);
        this.prices = Collections.unmodifiableMap(prices);
        this.credits = credits;
        this.help = help;
    }

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException naming the option that is unknown, lacks its value or has a bad one
     */
    public static FakeServerOptions parse(String... args) {
        Objects.requireNonNull(args, "args");
        int port = 8080;
        InetAddress host = InetAddress.getLoopbackAddress();
        URI publicUrl = null;
        List<String> keys = new ArrayList<>();
        String time = "real";
        Duration queued = null;
        Duration processing = null;
        List<String> models = new ArrayList<>();
        Map<String, Double> prices = new LinkedHashMap<>();
        Double credits = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inline = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help":
                case "-h":
                    help = true;
                    break;
                case "--port":
                    String p = inline != null ? inline : value(args, ++i, arg);
                    try {
                        port = Integer.parseInt(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port takes a number 0..65535, not " + p);
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port takes a number 0..65535, not " + p);
                    }
                    break;
                case "--host":
                    host = address(inline != null ? inline : value(args, ++i, arg));
                    break;
                case "--public-url":
                    String url = inline != null ? inline : value(args, ++i, arg);
                    try {
                        publicUrl = URI.create(url);
                        FakeSegmindServer.builder().publicBaseUrl(publicUrl);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--public-url " + url + ": an absolute http(s) URL such as http://fake:8080");
                    }
                    break;
                case "--api-key":
                    String key = inline != null ? inline : value(args, ++i, arg);
                    if (key.isBlank() || !key.strip().equals(key)) {
                        throw new IllegalArgumentException("--api-key takes a key without spaces");
                    }
                    keys.add(key);
                    break;
                case "--time":
                    time = inline != null ? inline : value(args, ++i, arg);
                    if (!time.equals("real") && !time.equals("manual") && !time.startsWith("auto=")) {
                        throw new IllegalArgumentException("--time is real, manual or auto=STEP, not " + time);
                    }
                    if (time.startsWith("auto=")) {
                        Duration step = Directive.duration("--time auto", time.substring(5));
                        if (step.isZero()) {
                            throw new IllegalArgumentException("--time auto=STEP needs a step above zero");
                        }
                    }
                    break;
                case "--queued":
                    queued = Directive.duration("--queued", inline != null ? inline : value(args, ++i, arg));
                    break;
                case "--processing":
                    processing = Directive.duration("--processing", inline != null ? inline : value(args, ++i, arg));
                    break;
                case "--model":
                    String slug = inline != null ? inline : value(args, ++i, arg);
                    FakeSegmindServer.builder().model(slug);
                    models.add(slug);
                    break;
                case "--price":
                    // --price=SLUG=N keeps the inline form too: the first '=' splits the option.
                    String spec = inline != null ? inline : value(args, ++i, arg);
                    int at = spec.lastIndexOf('=');
                    if (at <= 0) {
                        throw new IllegalArgumentException("--price takes SLUG=N, such as style-transfer=0.03, not " + spec);
                    }
                    double price = number("--price " + spec, spec.substring(at + 1));
                    FakeSegmindServer.builder().price(spec.substring(0, at), price);
                    prices.put(spec.substring(0, at), price);
                    break;
                case "--credits":
                    String c = inline != null ? inline : value(args, ++i, arg);
                    credits = number("--credits", c);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (credits != null && keys.isEmpty()) {
            throw new IllegalArgumentException("--credits applies to the keys given with --api-key: give at least one");
        }
        return new FakeServerOptions(port, host, publicUrl, keys, time, queued, processing, models, prices, credits, help);
    }

    /** Whether {@code --help} was asked for: then print {@link #OPTIONS} and start nothing. */
    public boolean help() {
        return help;
    }

    /** The keys given with {@code --api-key}, in order; empty when a random one is to be made. */
    public List<String> apiKeys() {
        return apiKeys;
    }

    /** A started server and the keys it accepts. Closing it stops the server. */
    public static final class Running implements AutoCloseable {
        private final FakeSegmindServer server;
        private final List<String> apiKeys;

        Running(FakeSegmindServer server, List<String> apiKeys) {
            this.server = server;
            this.apiKeys = Collections.unmodifiableList(apiKeys);
        }

        public FakeSegmindServer server() {
            return server;
        }

        /** The keys the server accepts: the {@code --api-key} ones, or the one random key made for it. */
        public List<String> apiKeys() {
            return apiKeys;
        }

        /** The lines both doors print on start: where it listens, the keys, the clock and the control API. */
        public List<String> banner() {
            List<String> lines = new ArrayList<>();
            lines.add("segmindkit fake Segmind server listening on " + server.baseUrl());
            if (!server.publicBaseUrl().equals(server.baseUrl())) {
                lines.add("public base URL: " + server.publicBaseUrl());
            }
            for (String key : apiKeys) {
                lines.add("API key: " + key);
            }
            lines.add("clock: " + server.clock());
            lines.add("control API: " + server.baseUrl() + FakeSegmindServer.CONTROL_PREFIX + "/");
            return lines;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /**
     * Starts the server these options describe, with its control API on, and its tenants.
     *
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public Running start() {
        FakeSegmindServer.Builder builder = FakeSegmindServer.builder().port(port).bindAddress(host).controlApi(true);
        if (publicUrl != null) {
            builder.publicBaseUrl(publicUrl);
        }
        if (!time.equals("real")) {
            ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
            builder.clock(clock);
            if (time.startsWith("auto=")) {
                builder.autoAdvance(Directive.duration("--time auto", time.substring(5)));
            }
        }
        if (queued != null || processing != null) {
            boolean real = time.equals("real");
            builder.timeline(queued != null ? queued : real ? Duration.ofMillis(50) : Duration.ofSeconds(2),
                    processing != null ? processing : real ? Duration.ofMillis(150) : Duration.ofSeconds(10));
        }
        models.forEach(builder::model);
        prices.forEach(builder::price);
        FakeSegmindServer server = builder.start();
        try {
            List<String> accepted = new ArrayList<>();
            if (apiKeys.isEmpty()) {
                accepted.add(server.newTenant().apiKey());
            } else {
                for (String key : apiKeys) {
                    Tenant tenant = server.newTenant(key);
                    if (credits != null) {
                        tenant.credits(credits);
                    }
                    accepted.add(key);
                }
            }
            return new Running(server, accepted);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static double number(String option, String text) {
        try {
            double d = Double.parseDouble(text);
            if (!Double.isFinite(d) || d < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a non-negative number, not " + text);
        }
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + ": unknown host");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
