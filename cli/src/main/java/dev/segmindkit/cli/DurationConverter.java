package dev.segmindkit.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        Duration d;
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            long millisPerUnit;
            switch (m.group(2)) {
                case "ms":
                    millisPerUnit = 1;
                    break;
                case "s":
                    millisPerUnit = 1000;
                    break;
                case "m":
                    millisPerUnit = 60_000;
                    break;
                default:
                    millisPerUnit = 3_600_000;
                    break;
            }
            d = Duration.ofMillis(Math.round(amount * millisPerUnit));
        } else {
            try {
                d = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a duration such as 30s, 500ms, 10m or PT30S");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration");
        }
        return d;
    }

    /** The shortest form {@link #convert} reads back: {@code 90s}, {@code 10m}, {@code 1500ms}. */
    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
