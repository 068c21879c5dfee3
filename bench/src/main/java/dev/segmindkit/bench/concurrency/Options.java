package dev.segmindkit.bench.concurrency;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code --name value} command-line options of the harnesses, and their durations ({@code 3s}, {@code 500ms}, {@code PT3S}). */
public final class Options {
    private Options() {
    }

    /**
     * The options as a map without the leading dashes.
     *
     * @throws IllegalArgumentException for an argument that is not {@code --name value}
     */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs; cannot read " + args[i]);
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    /** The value of a required option. */
    public static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    /** A duration such as {@code 3s}, {@code 500ms}, {@code 2m} or ISO-8601 {@code PT3S}. */
    public static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            return Duration.parse(text.trim());
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        throw new IllegalArgumentException("a duration such as 3s, 500ms or PT3S, not " + text);
    }
}
