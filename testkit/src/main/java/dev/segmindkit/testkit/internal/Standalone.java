package dev.segmindkit.testkit.internal;

import dev.segmindkit.testkit.FakeServerOptions;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar segmindkit-testkit-<version>-standalone.jar [options]}: the fake server for
 * clients in any language, with the control API under {@code /__fake} on. Runs until killed. Its
 * options are {@link FakeServerOptions}, the same as the CLI's {@code segmind fake-server}.
 */
public final class Standalone {
    private static final String USAGE = "usage: java -jar segmindkit-testkit-<version>-standalone.jar [options]" + System.lineSeparator()
            + FakeServerOptions.OPTIONS;

    private Standalone() {
    }

    public static void main(String[] args) throws InterruptedException {
        FakeServerOptions.Running running;
        try {
            FakeServerOptions options = FakeServerOptions.parse(args);
            if (options.help()) {
                System.out.println(USAGE);
                return;
            }
            running = options.start();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        running.banner().forEach(out::println);
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "segmind-fake-shutdown"));
        stopped.await();
    }
}
