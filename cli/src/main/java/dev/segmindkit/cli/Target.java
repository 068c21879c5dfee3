package dev.segmindkit.cli;

import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.core.internal.Spec;
import dev.segmindkit.sync.SegmindClient;
import dev.segmindkit.sync.StatusListener;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.Tenant;
import java.time.Duration;

/**
 * The service a command talks to, and the client for it: the real API when {@code SEGMIND_API_KEY}
 * is set, else (or with {@code --fake}) the testkit's fake server, started in this process and
 * stopped by {@link #close()}.
 */
final class Target implements AutoCloseable {
    /** How often the embedded fake is polled: its jobs take about a second, so the SDK's one-second default would double that. */
    private static final Duration FAKE_POLL_INTERVAL = Duration.ofMillis(100);

    final SegmindClient client;
    final FakeSegmindServer embedded;
    /** The {@code --base-url} the user gave, to repeat it in a resume command; null if none. */
    final String baseUrlOption;

    private Target(SegmindClient client, FakeSegmindServer embedded, String baseUrlOption) {
        this.client = client;
        this.embedded = embedded;
        this.baseUrlOption = baseUrlOption;
    }

    /**
     * Opens the target the options and environment ask for.
     *
     * @param model a model the embedded fake must serve besides the spec's two, or null
     * @param notices where to say that the embedded fake is used for want of a key; null for {@code -q},
     *     which never falls back to the fake
     * @throws CliException for a base URL without a key, no key where the fake must not stand in
     *     ({@link ExitCode#NO_KEY}), or a key or URL that cannot be used
     */
    static Target open(Context ctx, TargetOptions options, StatusListener listener, Duration timeout, String model, Progress notices) {
        String key = blankToNull(ctx.env("SEGMIND_API_KEY"));
        String baseUrl = options.baseUrl != null ? options.baseUrl : blankToNull(ctx.env("SEGMIND_BASE_URL"));
        if (options.fake || key == null) {
            if (!options.fake && baseUrl != null) {
                throw new CliException(ExitCode.AUTH, "SEGMIND_API_KEY is not set, and a base URL (" + baseUrl
                        + ") was given: set the key that server expects, or drop the base URL to use the embedded fake");
            }
            if (!options.fake) {
                withoutKey(ctx, notices);
            }
            Target t = embedded(ctx, listener, timeout, model);
            ctx.talkingTo("the embedded fake server at " + hostOf(t.client.config().baseUrl()));
            return t;
        }
        SegmindClient.Builder builder = SegmindClient.builder().timeSource(ctx.time()).statusListener(listener)
                .pollingPolicy(PollingPolicy.defaults().withDeadline(timeout));
        try {
            builder.apiKey(key);
        } catch (IllegalArgumentException e) {
            // The SDK's message names its own method; say where the key came from instead.
            throw new CliException(ExitCode.AUTH, "SEGMIND_API_KEY is not a usable key: it holds whitespace or control characters");
        }
        if (baseUrl != null) {
            try {
                builder.baseUrl(baseUrl);
            } catch (IllegalArgumentException e) {
                throw CliException.usage((options.baseUrl != null ? "--base-url" : "SEGMIND_BASE_URL") + ": " + e.getMessage());
            }
        }
        SegmindClient client = builder.build();
        ctx.talkingTo(hostOf(client.config().baseUrl()));
        return new Target(client, null, options.baseUrl);
    }

    /**
     * No key and no {@code --fake}: a person at a terminal gets the fake, under a banner they
     * cannot miss; a script (no terminal, or {@code -q}) gets an error, since the fake's URLs and
     * ids die with the process and must not pass for real results.
     */
    private static void withoutKey(Context ctx, Progress notices) {
        if (notices == null || !ctx.terminal()) {
            throw new CliException(ExitCode.NO_KEY, "SEGMIND_API_KEY is not set: set it to use the real API, or pass --fake to run on the"
                    + " embedded fake server (nothing billed, outputs are test images)");
        }
        notices.println(BANNER);
    }

    /** Narrow enough for a 50-column terminal, so it reads as a box there too. */
    static final String BANNER = String.join(System.lineSeparator(),
            "+----------------------------------------------+",
            "| SEGMIND_API_KEY is not set: running on the   |",
            "| EMBEDDED FAKE server. Nothing is billed, and |",
            "| the images are generated test images.        |",
            "| Set SEGMIND_API_KEY for the real API, or     |",
            "| pass --fake to skip this notice.             |",
            "+----------------------------------------------+");

    /** The host (and port, if not the scheme's own) a network error names. */
    static String hostOf(java.net.URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** The host of the asset service uploads go to. */
    String uploadHost() {
        return hostOf(client.config().uploadUrl());
    }

    private static Target embedded(Context ctx, StatusListener listener, Duration timeout, String model) {
        FakeSegmindServer.Builder builder = FakeSegmindServer.builder().clock(ctx.time()).timeline(ctx.fakeQueued(), ctx.fakeProcessing());
        if (model != null && !Spec.get().describedModels().contains(model)) {
            // `run` on any model: the fake serves it, rendering images from width, height and output_format.
            builder.model(model);
        }
        FakeSegmindServer server = builder.start();
        try {
            Tenant tenant = server.newTenant();
            SegmindClient client = SegmindClient.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl().toString())
                    .timeSource(ctx.time()).statusListener(listener)
                    .pollingPolicy(PollingPolicy.fixed(FAKE_POLL_INTERVAL).withDeadline(timeout)).build();
            return new Target(client, server, null);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
