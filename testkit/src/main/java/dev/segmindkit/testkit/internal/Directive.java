package dev.segmindkit.testkit.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steering for black-box apps that cannot reach the fake's Java API: a request header {@value
 * #HEADER} or a marker {@code [[segmindkit: ...]]} anywhere in the prompt, holding {@code key=value}
 * pairs separated by {@code ;}:
 *
 * <pre>
 * x-segmindkit-script: fail=NSFW content detected; queued=2s; processing=PT30S
 * "prompt": "a cat [[segmindkit: fail]]"
 * </pre>
 *
 * <p>Keys: {@code fail} (optionally {@code =error text}), {@code complete}, {@code queued},
 * {@code processing}. Durations are ISO-8601 ({@code PT2S}) or a number with {@code ms}, {@code
 * s}, {@code m} or {@code h}. Anything else is refused with a message, so a typo shows at once.
 */
public final class Directive {
    public static final String HEADER = "x-segmindkit-script";
    private static final Pattern MARKER = Pattern.compile("\\[\\[\\s*segmindkit\\s*:(.*?)]]", Pattern.DOTALL);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    static final String DEFAULT_ERROR = "Inference failed";

    private final String failure;
    private final Duration queued;
    private final Duration processing;

    private Directive(String failure, Duration queued, Duration processing) {
        this.failure = failure;
        this.queued = queued;
        this.processing = processing;
    }

    /** The error text when the directive says the job fails, else null. */
    public String failure() {
        return failure;
    }

    /** Null when not given. */
    public Duration queued() {
        return queued;
    }

    /** Null when not given. */
    public Duration processing() {
        return processing;
    }

    /** The marker in a prompt, or null when there is none. */
    public static String markerIn(String prompt) {
        if (prompt == null) {
            return null;
        }
        Matcher m = MARKER.matcher(prompt);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Parses a directive.
     *
     * @throws IllegalArgumentException naming the part that is not understood
     */
    public static Directive parse(String text) {
        String failure = null;
        Duration queued = null;
        Duration processing = null;
        for (String part : text.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : p.substring(eq + 1).trim();
            switch (key) {
                case "fail":
                    failure = value == null || value.isEmpty() ? DEFAULT_ERROR : value;
                    break;
                case "complete":
                    failure = null;
                    break;
                case "queued":
                    queued = duration(key, value);
                    break;
                case "processing":
                    processing = duration(key, value);
                    break;
                default:
                    throw new IllegalArgumentException("segmindkit script: unknown key '" + key
                            + "' (known: fail[=error], complete, queued=<duration>, processing=<duration>)");
            }
        }
        return new Directive(failure, queued, processing);
    }

    /**
     * A duration as ISO-8601 or a number with a unit.
     *
     * @throws IllegalArgumentException if it is neither, or negative
     */
    public static Duration duration(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a duration such as 2s, 500ms or PT2S");
        }
        Duration d;
        Matcher m = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millis;
            switch (m.group(2)) {
                case "ms": millis = amount; break;
                case "s": millis = amount * 1_000; break;
                case "m": millis = amount * 60_000; break;
                default: millis = amount * 3_600_000; break;
            }
            d = Duration.ofNanos(Math.round(millis * 1_000_000));
        } else {
            try {
                d = Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": '" + value + "' is not a duration such as 2s, 500ms or PT2S");
            }
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return d;
    }
}
