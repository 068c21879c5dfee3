package dev.segmindkit.core.internal;

import java.util.Base64;
import java.util.Locale;

/**
 * The forms a job's output can take, as both clients read them: an http(s) media URL, or bytes
 * carried inline as a {@code data:} URI with base64 content or as raw base64. Anything else is an
 * answer the service should not have given: {@link MalformedResponseException}.
 */
public final class InlineOutput {
    private static final String OCTET_STREAM = "application/octet-stream";

    private InlineOutput() {
    }

    /** Whether the (stripped) output is an http(s) URL, to be fetched without credentials. */
    public static boolean isUrl(String output) {
        return output.regionMatches(true, 0, "http://", 0, 7) || output.regionMatches(true, 0, "https://", 0, 8);
    }

    /** The bytes of an inline output: a data URI's base64 content, or raw base64. */
    public static byte[] decode(String output) {
        String base64 = isDataUri(output) ? output.substring(dataUriComma(output) + 1) : output;
        try {
            return Base64.getDecoder().decode(base64.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException("the output is neither a URL, a data URI nor base64: " + e.getMessage(), e);
        }
    }

    /** The media type a data URI declares; application/octet-stream for raw base64. */
    public static String contentType(String output) {
        if (!isDataUri(output)) {
            return OCTET_STREAM;
        }
        String type = output.substring(5, dataUriComma(output) - ";base64".length());
        return type.isEmpty() ? OCTET_STREAM : type;
    }

    private static boolean isDataUri(String output) {
        return output.regionMatches(true, 0, "data:", 0, 5);
    }

    /** The comma that ends a data URI's header, which must declare base64 content. */
    private static int dataUriComma(String output) {
        int comma = output.indexOf(',');
        if (comma < 0 || !output.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw new MalformedResponseException("the output is a data URI without base64 content");
        }
        return comma;
    }
}
