package dev.segmindkit.cli;

import dev.segmindkit.core.RetryEvent;
import dev.segmindkit.core.SegmindApiException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.TimeSource;
import dev.segmindkit.sync.StatusListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * What the user sees on stderr while a job runs. On a terminal: one live line, redrawn in place
 * with a spinner, the job's status and the time elapsed. Elsewhere (a pipe, a CI log): a plain line
 * per change, since carriage returns and redraws only garble a log file.
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

    private String label = "";
    private String state = "SUBMITTING";
    private String note = "";
    private Instant start;
    private int frame;
    private boolean lineShown;
    private boolean stopped;
    private Thread spinner;

    Progress(PrintWriter err, boolean live, boolean quiet, TimeSource time) {
        this.err = err;
        this.live = live && !quiet;
        this.quiet = quiet;
        this.time = time;
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
        if (live) {
            render();
        } else {
            plain("submitted " + model + " job " + requestId);
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
        err.print("\r" + SPINNER[frame % SPINNER.length] + " " + state + "  " + Failures.seconds(elapsed()) + "  " + label + note + "\u001b[K");
        err.flush();
        lineShown = true;
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
