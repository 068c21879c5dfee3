package dev.segmindkit.cli;

import dev.segmindkit.core.TimeSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What a command may touch of the world, injected so the whole tool runs in-process in tests: the
 * environment, the two output streams, whether stderr is a terminal, the clock, and the job
 * timeline of the embedded fake.
 */
final class Context {
    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final TimeSource time;
    private final Duration fakeQueued;
    private final Duration fakeProcessing;
    private final SegmindCli cli;
    private final IntSupplier width;
    /** What the running command talks to, for network errors; set when its target opens. */
    private volatile String service = "the service";

    Context(Map<String, String> env, PrintWriter out, PrintWriter err, boolean terminal, TimeSource time, Duration fakeQueued,
            Duration fakeProcessing, IntSupplier width, SegmindCli cli) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.time = time;
        this.fakeQueued = fakeQueued;
        this.fakeProcessing = fakeProcessing;
        this.cli = cli;
        this.width = width;
    }

    String env(String name) {
        return env.get(name);
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** Whether stderr is a terminal, where a live progress line can be redrawn in place. */
    boolean terminal() {
        return terminal && !"dumb".equals(env.get("TERM"));
    }

    TimeSource time() {
        return time;
    }

    Duration fakeQueued() {
        return fakeQueued;
    }

    Duration fakeProcessing() {
        return fakeProcessing;
    }

    /** The terminal's width in columns, asked each time (a window can be resized while a job runs). */
    int terminalWidth() {
        return width.getAsInt();
    }

    void talkingTo(String service) {
        this.service = service;
    }

    /** The host the running command talks to ("api.segmind.com"), as network errors name it. */
    String service() {
        return service;
    }

    /** Whether Ctrl-C asked the running command to stop. */
    boolean cancelled() {
        return cli.cancelRequested();
    }
}
