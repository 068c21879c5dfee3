package dev.segmindkit.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The terminal's width in columns, for the live progress line, which must fit on one row: a line
 * longer than the terminal wraps, and every redraw then adds a row instead of replacing one. The
 * JVM cannot ask the terminal itself, so: {@code COLUMNS} when the shell exports it, else {@code
 * stty size} on {@code /dev/tty}, else 80. The answer is kept for a second, so the spinner's
 * redraws do not each start a process and a resized window is noticed within a second.
 */
final class TerminalWidth implements IntSupplier {
    static final int FALLBACK = 80;
    private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<String, String> env;
    private int cached;
    private long measuredAt;

    TerminalWidth(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public synchronized int getAsInt() {
        long now = System.nanoTime();
        if (cached == 0 || now - measuredAt > KEEP_NANOS) {
            cached = measure();
            measuredAt = now;
        }
        return cached;
    }

    private int measure() {
        int columns = parse(env.get("COLUMNS"));
        if (columns > 0) {
            return columns;
        }
        columns = stty();
        return columns > 0 ? columns : FALLBACK;
    }

    /** The second number of {@code stty size} ("rows columns"), or 0 when there is no terminal to ask. */
    private static int stty() {
        File tty = new File("/dev/tty");
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") || !tty.exists()) {
            return 0;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            String[] words = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+");
            return p.exitValue() == 0 && words.length == 2 ? parse(words[1]) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static int parse(String columns) {
        if (columns == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(columns.strip());
            return n > 0 && n < 10_000 ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
