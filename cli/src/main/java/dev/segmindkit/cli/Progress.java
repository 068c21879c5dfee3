package dev.segmindkit.cli;

import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.sync.StatusListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * What the user sees on stderr while a job runs. On a terminal: one live line, redrawn in place
 * with a spinner, the job's status, the time elapsed and, when the model's typical duration is
 * known, about how long is left; cut to the terminal's width, because a line that wraps is redrawn
 * one row lower each time. Elsewhere (a pipe, a CI log): a plain line per change, since carriage
 * returns and redraws only garble a log file.
 *
 * <p>Status changes come from the client's {@link StatusListener}; the spinner turns on a daemon
 * thread of its own, because the client reports nothing between polls. Elapsed time is read from
 * the client's {@link TimeSource}, so it is the time the client waited, virtual in tests.
 */
final class Progress implements StatusListener {
    private static final char[] SPINNER = {'|', '/', '-', '\\'};
    private static final long FRAME_MILLIS = 100;

    private final PrintWriter err;
    private final boolean live;
    private final boolean quiet;
    private final TimeSource time;
    private final IntSupplier width;

    private String label = "";
    /** How long a job of this model usually takes, or null if unknown; the ETA counts down from it. */
    private Duration typical;
    private Instant submittedAt;
    private String state = "SUBMITTING";
    private String note = "";
    private Instant start;
    private int frame;
    private boolean lineShown;
    private boolean stopped;
    private Thread spinner;

    Progress(PrintWriter err, boolean live, boolean quiet, TimeSource time, IntSupplier width) {
        this.err = err;
        this.live = live && !quiet;
        this.quiet = quiet;
        this.time = time;
        this.width = width;
    }

    /** A job usually takes {@code typical} (null: unknown, no ETA is shown). */
    synchronized void expect(Duration typical) {
        this.typical = typical;
    }

    /** Waiting for {@code label} (a model, or a request id being resumed) starts now. */
    synchronized void start(String label, String state) {
        this.label = label;
        this.state = state;
        this.start = time.now();
        if (live && spinner == null) {
            spinner = new Thread(this::spin, "segmind-progress");
            spinner.setDaemon(true);
            spinner.start();
        }
        render();
    }

    /** The submit was answered. */
    synchronized void submitted(String model, String requestId) {
        label = model + " " + requestId;
        state = "SUBMITTED";
        submittedAt = time.now();
        if (live) {
            render();
        } else {
            plain("submitted " + model + " job " + requestId + (typical == null ? "" : " (usually about " + roughly(typical) + ")"));
        }
    }

    @Override
    public synchronized void onStatusChange(StatusUpdate update) {
        state = update.status().value();
        note = "";
        if (live) {
            render();
        } else {
            plain(state);
        }
    }

    @Override
    public synchronized void onRetry(RetryEvent event) {
        Throwable f = event.failure();
        String why = f instanceof SegmindApiException ? "HTTP " + ((SegmindApiException) f).status() : f.getClass().getSimpleName();
        note = " (retrying after " + why + ")";
        if (live) {
            render();
        } else {
            plain("retrying " + event.operation() + " in " + Failures.seconds(event.delay()) + " after " + why);
        }
    }

    /** Stops the spinner and clears the live line, so what follows starts on a clean line. */
    void stop() {
        Thread s;
        synchronized (this) {
            s = spinner;
            spinner = null;
            stopped = true;
            clear();
        }
        if (s != null) {
            s.interrupt();
        }
    }

    /** How long since {@link #start}. */
    synchronized Duration elapsed() {
        return start == null ? Duration.ZERO : Duration.between(start, time.now());
    }

    /** Prints a line of its own without garbling the live line. */
    synchronized void println(String line) {
        clear();
        err.println(line);
        err.flush();
        render();
    }

    private void spin() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(FRAME_MILLIS);
                synchronized (this) {
                    if (spinner != Thread.currentThread()) {
                        return;
                    }
                    frame++;
                    render();
                }
            }
        } catch (InterruptedException e) {
            // stop() ends the spinner this way; nothing is left to clean up.
        }
    }

    private void render() {
        if (!live || start == null || stopped) {
            return;
        }
        String line = SPINNER[frame % SPINNER.length] + " " + state + "  " + Failures.seconds(elapsed()) + eta() + "  " + label + note;
        err.print("\r" + fit(line, width.getAsInt()) + "\u001b[K");
        err.flush();
        lineShown = true;
    }

    /**
     * The line cut to leave the terminal's last column free: a character there puts the cursor past
     * the edge, and some terminals wrap at once.
     */
    static String fit(String line, int columns) {
        int room = Math.max(1, columns - 1);
        return line.length() <= room ? line : line.substring(0, room);
    }

    /** ", about 13s left" while a job of known typical duration runs; ", usually 17s" once it runs longer. */
    private String eta() {
        if (typical == null || submittedAt == null || JobStatus.of(state).isTerminal()) {
            return "";
        }
        Duration left = typical.minus(Duration.between(submittedAt, time.now()));
        return left.isNegative() || left.isZero() ? ", usually " + roughly(typical) : ", about " + roughly(left) + " left";
    }

    /** Whole seconds, rounded up (a countdown never shows 0s while time is left): "13s", "2m44s". */
    static String roughly(Duration d) {
        long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + String.format(java.util.Locale.ROOT, "%02d", seconds % 60) + "s";
    }

    private void clear() {
        if (lineShown) {
            err.print("\r\u001b[K");
            err.flush();
            lineShown = false;
        }
    }

    private void plain(String what) {
        if (quiet) {
            return;
        }
        err.println("segmind: [" + Failures.seconds(elapsed()) + "] " + what);
        err.flush();
    }
}
