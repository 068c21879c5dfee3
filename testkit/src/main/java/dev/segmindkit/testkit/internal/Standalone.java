package dev.segmindkit.testkit.internal;

import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar segmindkit-testkit-<version>-standalone.jar [options]}: the fake server for
 * clients in any language, with the control API under {@code /__fake} on. Runs until killed.
 */
public final class Standalone {
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar segmindkit-testkit-<version>-standalone.jar [options]",
            "  --port N            port to listen on (default 8080; 0 picks a free one)",
            "  --host ADDRESS      address to bind (default 127.0.0.1; 0.0.0.0 to serve containers)",
            "  --api-key KEY       accept this key (repeatable; default: one random key, printed)",
            "  --time MODE         real (default), manual (moved by POST /__fake/clock/advance),",
            "                      or auto=STEP (each status poll moves the clock on by STEP, e.g. auto=5s)",
            "  --queued D          how long jobs stay QUEUED (e.g. 2s, 500ms, PT2S)",
            "  --processing D      how long jobs stay PROCESSING",
            "  --model SLUG        serve one more model besides the spec's (repeatable)",
            "  --credits N         starting credits of the keys given with --api-key (default 100)",
            "  --help              this text");

    private Standalone() {
    }

    public static void main(String[] args) throws InterruptedException {
        FakeSegmindServer server;
        List<String> keys = new ArrayList<>();
        Double credits = null;
        try {
            FakeSegmindServer.Builder builder = FakeSegmindServer.builder().port(8080).controlApi(true);
            Duration queued = null;
            Duration processing = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help":
                    case "-h":
                        System.out.println(USAGE);
                        return;
                    case "--port":
                        builder.port(Integer.parseInt(value(args, ++i, arg)));
                        break;
                    case "--host":
                        builder.bindAddress(address(value(args, ++i, arg)));
                        break;
                    case "--api-key":
                        keys.add(value(args, ++i, arg));
                        break;
                    case "--time":
                        time(builder, value(args, ++i, arg));
                        break;
                    case "--queued":
                        queued = Directive.duration("--queued", value(args, ++i, arg));
                        break;
                    case "--processing":
                        processing = Directive.duration("--processing", value(args, ++i, arg));
                        break;
                    case "--model":
                        builder.model(value(args, ++i, arg));
                        break;
                    case "--credits":
                        credits = Double.parseDouble(value(args, ++i, arg));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (queued != null || processing != null) {
                builder.timeline(queued != null ? queued : Duration.ofMillis(50), processing != null ? processing : Duration.ofMillis(150));
            }
            server = builder.start();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            if (keys.isEmpty()) {
                keys.add(server.newTenant().apiKey());
            } else {
                for (String key : keys) {
                    Tenant tenant = server.newTenant(key);
                    if (credits != null) {
                        tenant.credits(credits);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            server.close();
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        out.println("segmindkit fake Segmind server listening on " + server.baseUrl());
        for (String key : keys) {
            out.println("API key: " + key);
        }
        out.println("clock: " + server.clock());
        out.println("control API: " + server.baseUrl() + FakeSegmindServer.CONTROL_PREFIX + "/");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "segmind-fake-shutdown"));
        stopped.await();
    }

    private static void time(FakeSegmindServer.Builder builder, String mode) {
        if (mode.equals("real")) {
            return;
        }
        ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        if (mode.equals("manual")) {
            builder.clock(clock);
        } else if (mode.startsWith("auto=")) {
            builder.clock(clock).autoAdvance(Directive.duration("--time auto", mode.substring(5)));
        } else {
            throw new IllegalArgumentException("--time is real, manual or auto=STEP, not " + mode);
        }
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
