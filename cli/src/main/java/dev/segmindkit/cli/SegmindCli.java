package dev.segmindkit.cli;

import dev.segmindkit.core.TimeSource;
import java.io.Console;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The {@code segmind} command line, runnable in-process: {@link #execute} parses and runs one
 * command and returns its {@link ExitCode} without ever calling {@link System#exit}. Everything it
 * touches of the world (environment, stdout, stderr, terminal, clock) comes from the {@link
 * Builder}, so tests run it against a fake server with captured output; {@link Main} wires it to
 * the real process.
 *
 * <p>{@link #cancel()} is what Ctrl-C does: it interrupts the running command, which stops waiting
 * and prints the command that resumes the job.
 */
public final class SegmindCli {
    private final Context ctx;
    private final Object lock = new Object();
    private Thread worker;
    private boolean cancelRequested;
    private CountDownLatch idle = new CountDownLatch(0);

    private SegmindCli(Builder b) {
        IntSupplier width = b.columns > 0 ? () -> b.columns : new TerminalWidth(b.env);
        this.ctx = new Context(b.env, b.out, b.err, b.terminal, b.time, b.fakeQueued, b.fakeProcessing, width, this);
    }

    /**
     * A builder wired to this process: its environment, {@code System.out}, {@code System.err}, console and clock.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one command.
     *
     * @param args the command line, as {@code main} receives it
     * @return the exit code: 0 on success, else the kind of failure (see {@link ExitCode})
     * @throws IllegalStateException if a command is already running on this instance
     */
    public int execute(String... args) {
        synchronized (lock) {
            if (worker != null) {
                throw new IllegalStateException("a command is already running on this SegmindCli");
            }
            worker = Thread.currentThread();
            idle = new CountDownLatch(1);
        }
        try {
            return commandLine().execute(args);
        } finally {
            synchronized (lock) {
                worker = null;
                if (cancelRequested) {
                    // A Ctrl-C that landed after the command had handled its own interrupt must not leak into the caller.
                    Thread.interrupted();
                }
            }
            ctx.out().flush();
            ctx.err().flush();
            idle.countDown();
        }
    }

    /**
     * Stops the running command, as Ctrl-C does: a job being waited for is left running and its
     * resume command printed; {@code fake-server} stops. Safe to call from any thread, at any time.
     */
    public void cancel() {
        synchronized (lock) {
            cancelRequested = true;
            if (worker != null) {
                worker.interrupt();
            }
        }
    }

    /**
     * Waits until no command is running, for at most {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return false if a command was still running when the time was up
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        CountDownLatch latch;
        synchronized (lock) {
            latch = idle;
        }
        return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean cancelRequested() {
        synchronized (lock) {
            return cancelRequested;
        }
    }

    /** A fresh command tree: picocli keeps parsed values in it, so each execution gets its own. */
    CommandLine commandLine() {
        CommandLine root = new CommandLine(new RootCommand());
        root.addSubcommand("style-transfer", ModelCommand.create(ctx, "style-transfer",
                "Transfer the style of an image onto a new one (IP-Adapter style and composition transfer)."));
        root.addSubcommand("material-transfer", ModelCommand.create(ctx, "material-transfer",
                "Render a subject in the material of another image."));
        root.addSubcommand("run", new CommandLine(new RunCommand(ctx)));
        root.addSubcommand("status", new CommandLine(new StatusCommand(ctx)));
        root.addSubcommand("result", new CommandLine(new ResultCommand(ctx)));
        root.addSubcommand("credits", new CommandLine(new CreditsCommand(ctx)));
        root.addSubcommand("fake-server", FakeServerCommand.commandLine(ctx));
        root.addSubcommand("completion", new CommandLine(new CompletionCommand(ctx)));
        root.addSubcommand("help", new CommandLine(new CommandLine.HelpCommand()));
        root.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.table());
        // Set after the subcommands are added: picocli hands these only to subcommands it already has.
        root.setOut(ctx.out());
        root.setErr(ctx.err());
        root.setExecutionExceptionHandler(this::onFailure);
        root.setParameterExceptionHandler(this::onBadArguments);
        return root;
    }

    private int onFailure(Exception e, CommandLine command, ParseResult parsed) {
        Object userObject = command.getCommand();
        UnaryOperator<String> names = userObject instanceof OptionNaming ? ((OptionNaming) userObject)::optionFor : UnaryOperator.identity();
        PrintWriter err = ctx.err();
        err.println("segmind: " + Failures.message(e, names, ctx.service()));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return Failures.exitCode(e);
    }

    private int onBadArguments(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = ctx.err();
        String hint = "";
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            java.util.List<String> similar = ((CommandLine.UnmatchedArgumentException) e).getSuggestions();
            hint = similar.isEmpty() ? "" : "; did you mean " + String.join(" or ", similar.subList(0, Math.min(3, similar.size()))) + "?";
        }
        err.println("segmind: " + e.getMessage() + hint + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return ExitCode.USAGE;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Settings of a {@link SegmindCli}. By default it is wired to this process; tests replace the
     * environment, the streams, the terminal flag, the clock and the embedded fake's timeline.
     */
    public static final class Builder {
        private Map<String, String> env = System.getenv();
        private PrintWriter out = writer(new OutputStreamWriter(System.out, Charset.defaultCharset()));
        private PrintWriter err = writer(new OutputStreamWriter(System.err, Charset.defaultCharset()));
        private boolean terminal = isTerminal(System.console());
        private TimeSource time = TimeSource.system();
        private Duration fakeQueued = Duration.ofMillis(300);
        private Duration fakeProcessing = Duration.ofMillis(900);
        private int columns;

        private Builder() {
        }

        /**
         * The environment variables the commands read ({@code SEGMIND_API_KEY}, {@code SEGMIND_BASE_URL}, {@code TERM}, {@code COLUMNS}).
         *
         * @param env the variables, copied
         * @return this builder
         */
        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
            return this;
        }

        /**
         * Where results go.
         *
         * @param out the writer, wrapped in a {@link PrintWriter} that flushes each line unless it is one
         * @return this builder
         */
        public Builder out(Writer out) {
            this.out = writer(Objects.requireNonNull(out, "out"));
            return this;
        }

        /**
         * Where progress, notices and errors go.
         *
         * @param err the writer, wrapped in a {@link PrintWriter} that flushes each line unless it is one
         * @return this builder
         */
        public Builder err(Writer err) {
            this.err = writer(Objects.requireNonNull(err, "err"));
            return this;
        }

        /**
         * Whether stderr is a terminal: a live progress line if so, plain lines if not.
         *
         * @param terminal true for a terminal
         * @return this builder
         */
        public Builder terminal(boolean terminal) {
            this.terminal = terminal;
            return this;
        }

        /**
         * The terminal's width in columns, which the live progress line never exceeds. By default
         * it is asked ({@code COLUMNS}, else {@code stty size}, else 80).
         *
         * @param columns the width, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code columns} is not positive
         */
        public Builder terminalWidth(int columns) {
            if (columns <= 0) {
                throw new IllegalArgumentException("a terminal is at least one column wide, got " + columns);
            }
            this.columns = columns;
            return this;
        }

        /**
         * The clock the client waits on (and the embedded fake runs on); tests share a ManualClock with a fake server.
         *
         * @param time the clock
         * @return this builder
         */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * How long jobs on the embedded fake stay QUEUED and then PROCESSING (300 ms and 900 ms
         * by default: long enough to see the progress line, short enough for a first run).
         *
         * @param queued how long a job stays QUEUED
         * @param processing how long it then stays PROCESSING
         * @return this builder
         * @throws IllegalArgumentException if a duration is negative
         */
        public Builder embeddedFakeTimeline(Duration queued, Duration processing) {
            if (queued.isNegative() || processing.isNegative()) {
                throw new IllegalArgumentException("a timeline's durations must not be negative, got " + queued + " and " + processing);
            }
            this.fakeQueued = queued;
            this.fakeProcessing = processing;
            return this;
        }

        /**
         * A CLI with these settings; the builder may be used again.
         *
         * @return the CLI
         */
        public SegmindCli build() {
            return new SegmindCli(this);
        }

        private static PrintWriter writer(Writer w) {
            return w instanceof PrintWriter ? (PrintWriter) w : new PrintWriter(w, true);
        }

        /**
         * A console means stdin and stdout are a terminal up to JDK 21; from JDK 22 a console exists
         * even when redirected, and {@code Console.isTerminal()} (absent from the Java 17 API this is
         * compiled against) tells.
         */
        static boolean isTerminal(Console console) {
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (NoSuchMethodException e) {
                return true;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
    }
}
