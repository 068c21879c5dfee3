package dev.segmindkit.core.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes text safe and short enough to log: the API key is masked wherever it appears, and inline
 * images (data URIs, long base64 runs) are cut to a few characters with their length.
 */
public final class Redaction {
    private static final Pattern DATA_URI = Pattern.compile("(data:[\\w.+-]+/[\\w.+-]+;base64,)[A-Za-z0-9+/=]{32,}");
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{200,}={0,2}");

    private Redaction() {
    }

    /** The text with {@code apiKey} masked and inline images shortened. */
    public static String redact(String text, String apiKey) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (apiKey != null && !apiKey.isEmpty()) {
            out = out.replace(apiKey, "****");
        }
        out = replace(DATA_URI.matcher(out), true);
        return replace(BASE64_RUN.matcher(out), false);
    }

    private static String replace(Matcher m, boolean keepPrefix) {
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String prefix = keepPrefix ? m.group(1) : "";
            int length = m.group().length() - prefix.length();
            m.appendReplacement(sb, Matcher.quoteReplacement(prefix + m.group().substring(prefix.length(), prefix.length() + 8)
                    + "...(" + length + " chars)"));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
