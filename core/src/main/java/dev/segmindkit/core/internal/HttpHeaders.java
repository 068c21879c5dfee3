package dev.segmindkit.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reading the service's headers, whatever the transport: names matched without regard to case. */
public final class HttpHeaders {
    private HttpHeaders() {
    }

    /** A copy with lower-case names, for exceptions and lookups. */
    public static Map<String, List<String>> normalize(Map<String, ? extends List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values);
            }
        });
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(out);
    }

    /** The first value of a header, by case-insensitive name. */
    public static Optional<String> first(Map<String, ? extends List<String>> headers, String name) {
        for (Map.Entry<String, ? extends List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                String v = e.getValue().get(0);
                return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
            }
        }
        return Optional.empty();
    }

    public static Optional<Double> firstDouble(Map<String, ? extends List<String>> headers, String name) {
        return first(headers, name).flatMap(v -> {
            try {
                double d = Double.parseDouble(v);
                return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    public static Optional<Long> firstLong(Map<String, ? extends List<String>> headers, String name) {
        return first(headers, name).flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * {@code x-rate-limit-reset-at-utc}: an ISO-8601 instant, a UTC date-time without zone (with
     * {@code T} or a space), or epoch seconds. Unreadable values are ignored.
     */
    public static Optional<Instant> rateLimitResetAt(Map<String, ? extends List<String>> headers) {
        return first(headers, "x-rate-limit-reset-at-utc").flatMap(HttpHeaders::parseInstant);
    }

    static Optional<Instant> parseInstant(String v) {
        try {
            return Optional.of(Instant.parse(v));
        } catch (DateTimeParseException ignored) {
            // try the other shapes
        }
        try {
            return Optional.of(ZonedDateTime.parse(v).toInstant());
        } catch (DateTimeParseException ignored) {
            // try the other shapes
        }
        try {
            return Optional.of(LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // try the other shapes
        }
        try {
            double epoch = Double.parseDouble(v);
            if (Double.isFinite(epoch) && epoch > 0) {
                return Optional.of(Instant.ofEpochMilli((long) (epoch * 1000)));
            }
        } catch (NumberFormatException ignored) {
            // unreadable
        }
        return Optional.empty();
    }

    /** {@code Retry-After}: delay seconds or an HTTP date (then relative to {@code now}). */
    public static Optional<Duration> retryAfter(Map<String, ? extends List<String>> headers, Instant now) {
        return first(headers, "retry-after").flatMap(v -> {
            try {
                long seconds = Long.parseLong(v);
                return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
            } catch (NumberFormatException ignored) {
                // an HTTP date
            }
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }
}
