package dev.segmindkit.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys this process holds, and the one place text is cleaned of them. Every {@link
 * dev.segmindkit.core.SegmindConfig} that holds a key registers it here, and every {@link
 * dev.segmindkit.core.SegmindException} cleans its message and its causes' messages through
 * {@link #redact(String)}, as does every log line and {@code toString} of the clients: so a key a
 * server echoes back (in an HTML page, an error message, a header, a URL) reaches no message, log or
 * string, whichever code path built the text.
 *
 * @see dev.segmindkit.core.SegmindConfig
 */
public final class Secrets {
    /** Keys shorter than this are not masked: they would mask ordinary words (and no real key is that short). */
    private static final int MIN_LENGTH = 8;
    private static final Set<String> KEYS = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /** Remembers a key, for the life of the process, so that no text this SDK produces shows it. */
    public static void register(String key) {
        if (key != null && key.length() >= MIN_LENGTH) {
            KEYS.add(key);
        }
    }

    /** The text with every registered key masked and inline images shortened. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String key : KEYS) {
            if (out.contains(key)) {
                out = out.replace(key, "****");
            }
        }
        return Redaction.redact(out, null);
    }

    /** Whether the text holds a registered key. */
    public static boolean holdsKey(String text) {
        if (text == null) {
            return false;
        }
        for (String key : KEYS) {
            if (text.contains(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cause to keep in an exception: itself when no message of its chain holds a key, else a
     * copy of the chain with the messages cleaned (class names and stack traces kept).
     */
    public static Throwable scrub(Throwable cause) {
        if (cause == null || !chainHoldsKey(cause, 0)) {
            return cause;
        }
        return copy(cause, 0);
    }

    private static boolean chainHoldsKey(Throwable t, int depth) {
        return t != null && depth < 16 && (holdsKey(t.getMessage()) || chainHoldsKey(t.getCause(), depth + 1));
    }

    private static Throwable copy(Throwable t, int depth) {
        if (t == null || depth >= 16) {
            return null;
        }
        if (t instanceof dev.segmindkit.core.SegmindException) {
            // Already cleaned by its own constructor.
            return t;
        }
        Scrubbed copy = new Scrubbed(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + redact(t.getMessage())),
                copy(t.getCause(), depth + 1));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** A cause whose message held a key: its class name and cleaned message, with its stack trace. */
    static final class Scrubbed extends Exception {
        private static final long serialVersionUID = 1L;

        Scrubbed(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
