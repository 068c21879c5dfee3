package dev.segmindkit.core.internal;

import java.util.regex.Pattern;

/**
 * The one rule for a request id, wherever one comes from (a submit's answer, a user's {@code
 * job(id)}, a journal): one plain URL path segment of RFC 3986 unreserved characters (letters,
 * digits, {@code - . _ ~}), at most 200 of them, and not only dots. The service sends UUIDs. An id
 * is put into the key-bearing poll paths ({@code /v2/requests/<id>/status}), so anything that could
 * change the path ({@code ../}, {@code ?}, {@code %}) is refused rather than followed.
 */
public final class RequestIds {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~-]{1,200}");
    private static final Pattern DOTS = Pattern.compile("\\.+");

    private RequestIds() {
    }

    /** Whether the text is a request id by the rule. */
    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches() && !DOTS.matcher(id).matches();
    }

    /**
     * The id, checked.
     *
     * @throws IllegalArgumentException naming the rule, if it is not one
     */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("a request id is required, of 1 to 200 letters, digits, '-', '.', '_' or '~' (not only dots), got "
                    + (id == null ? "null" : '"' + Secrets.redact(id.length() > 80 ? id.substring(0, 80) + "..." : id) + '"'));
        }
        return id;
    }
}
