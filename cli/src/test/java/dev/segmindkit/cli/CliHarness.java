package dev.segmindkit.cli;

import dev.segmindkit.core.TimeSource;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI in-process with captured stdout and stderr, an environment of the test's choosing
 * and a clock: the whole tool, minus {@link Main}'s System.exit.
 */
final class CliHarness {
    /** What one command did. */
    static final class Run {
        final int exitCode;
        final String out;
        final String err;

        Run(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The sample style image shipped with the module. */
    static final Path SAMPLE = Path.of("samples/style.png");

    private final Map<String, String> env = new HashMap<>();
    private TimeSource time = TimeSource.system();
    private boolean terminal;
    /** Wide enough for any live line, and fixed: the developer's own terminal must not change what tests see. */
    private int columns = 200;

    /** No key: the embedded fake with --fake, or on a terminal; else exit code NO_KEY. */
    static CliHarness withoutKey() {
        return new CliHarness();
    }

    /** Pointed at a test's fake server, as if it were the real API. */
    static CliHarness against(String baseUrl, String apiKey, TimeSource time) {
        CliHarness h = new CliHarness();
        h.env.put("SEGMIND_BASE_URL", baseUrl);
        h.env.put("SEGMIND_API_KEY", apiKey);
        h.time = time;
        return h;
    }

    CliHarness terminal(boolean terminal) {
        this.terminal = terminal;
        return this;
    }

    CliHarness time(TimeSource time) {
        this.time = time;
        return this;
    }

    CliHarness columns(int columns) {
        this.columns = columns;
        return this;
    }

    CliHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    SegmindCli cli(Writer out, Writer err) {
        // A short embedded timeline: the default (about a second) is for people watching.
        return SegmindCli.builder().env(env).out(out).err(err).terminal(terminal).terminalWidth(columns).timeSource(time)
                .embeddedFakeTimeline(Duration.ofMillis(5), Duration.ofMillis(20)).build();
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli(out, err).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A writer whose text a test can wait for, while the command runs on another thread. */
    static final class Watched extends Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
            notifyAll();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        /** Blocks until the text contains {@code part}; fails after {@code timeout}. */
        synchronized String await(String part, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (text.indexOf(part) < 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for \"" + part + "\" in:\n" + text);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return text.toString();
        }

        @Override
        public synchronized String toString() {
            return text.toString();
        }
    }
}
