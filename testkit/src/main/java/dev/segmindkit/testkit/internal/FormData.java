package dev.segmindkit.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body read into its fields, for v1 calls posted as a form (the
 * model pages' JavaScript sample does so). A text field keeps its text; a file field becomes the
 * raw base64 of its bytes, which is how an image parameter is sent as JSON.
 */
public final class FormData {
    private FormData() {
    }

    /**
     * The fields in the order sent.
     *
     * @throws IllegalArgumentException if the type has no boundary or the body is not a form with it
     */
    public static Map<String, String> parse(String contentType, byte[] body) {
        String boundary = null;
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = p.substring("boundary=".length());
                if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("multipart/form-data needs a boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, String> fields = new LinkedHashMap<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("the form has no part with its boundary");
        }
        while (true) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                return fields;
            }
            start = skipLineEnd(body, start);
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                throw new IllegalArgumentException("the form ends without its closing boundary");
            }
            int end = next;
            if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') {
                end -= 2;
            } else if (end >= 1 && body[end - 1] == '\n') {
                end -= 1;
            }
            part(body, start, end, fields);
            at = next;
        }
    }

    private static void part(byte[] body, int start, int end, Map<String, String> fields) {
        int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
        int gap = 4;
        if (headersEnd < 0 || headersEnd > end) {
            headersEnd = indexOf(body, "\n\n".getBytes(StandardCharsets.ISO_8859_1), start);
            gap = 2;
        }
        if (headersEnd < 0 || headersEnd > end) {
            throw new IllegalArgumentException("a form part has no headers");
        }
        String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
        String name = null;
        boolean file = false;
        for (String line : headers.split("\r?\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                continue;
            }
            for (String param : line.substring(line.indexOf(':') + 1).split(";")) {
                String p = param.strip();
                String lower = p.toLowerCase(Locale.ROOT);
                if (lower.startsWith("name=")) {
                    name = unquote(p.substring(5));
                } else if (lower.startsWith("filename=")) {
                    file = true;
                }
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("a form part has no name in its Content-Disposition");
        }
        int from = headersEnd + gap;
        byte[] value = java.util.Arrays.copyOfRange(body, from, Math.max(from, end));
        fields.put(name, file ? Base64.getEncoder().encodeToString(value) : new String(value, StandardCharsets.UTF_8));
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static int skipLineEnd(byte[] b, int i) {
        if (i < b.length && b[i] == '\r') {
            i++;
        }
        if (i < b.length && b[i] == '\n') {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
