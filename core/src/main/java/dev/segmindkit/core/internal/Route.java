package dev.segmindkit.core.internal;

import dev.segmindkit.core.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Every operation either client sends, read from the spec: its method, path, the answer types it
 * accepts, whether it may bill, and how large its answer may be. No client writes a path by hand;
 * both ask a route for it.
 *
 * <p>What may be retried follows from the method: a GET is a read, retried freely; a POST (a
 * submit, a v1 run, an upload) is sent again only where it cannot have reached the service.
 */
public enum Route {
    /** {@code POST /v2/<model>}: a new billed job; answers its request id. */
    SUBMIT("submit", Host.API, Limits.JSON),
    /** {@code POST /v1/<model>}: a billed job answered with the image itself. */
    RUN_SYNC("runSync", Host.API, Limits.IMAGE),
    /** {@code GET /v2/requests/<id>/status}. */
    STATUS("getStatus", Host.API, Limits.JSON),
    /** {@code GET /v2/requests/<id>}: may hold inline outputs, so it may be larger. */
    RESULT("getResult", Host.API, Limits.RESULT),
    /** {@code GET /v1/get-user-credits}. */
    CREDITS("getCredits", Host.API, Limits.JSON),
    /** {@code POST /upload-asset} on the asset host. */
    UPLOAD("uploadAsset", Host.UPLOAD, Limits.JSON),
    /** {@code GET <output URL>}: a public media file, fetched without the key. */
    MEDIA(null, Host.MEDIA, Limits.IMAGE);

    /** Which host a route goes to; the key is sent to the first two only. */
    public enum Host {
        API, UPLOAD, MEDIA
    }

    /** Documented limits of what is read into memory (README, "Limits"). */
    public static final class Limits {
        /** A JSON answer: submit, status, credits, upload. */
        public static final int JSON = 1024 * 1024;
        /** A result, which may carry inline (base64) outputs. */
        public static final int RESULT = 32 * 1024 * 1024;
        /** An image held in memory (a v1 answer or a download to bytes); streams to files are not limited. */
        public static final int IMAGE = 256 * 1024 * 1024;
        /** What is read of an error answer; the rest is not read. */
        public static final int ERROR = 64 * 1024;
        /** The answer's headers, all together (both clients' HTTP libraries enforce it). */
        public static final int HEADERS = 64 * 1024;

        private Limits() {
        }
    }

    private final Host host;
    private final String method;
    private final String template;
    private final String accept;
    private final boolean billed;
    private final int bodyLimit;

    Route(String operationId, Host host, int bodyLimit) {
        this.host = host;
        this.bodyLimit = bodyLimit;
        if (operationId == null) {
            this.method = "GET";
            this.template = null;
            this.accept = "*/*";
            this.billed = false;
        } else {
            Spec.Operation op = Spec.get().operation(operationId);
            this.method = op.method();
            this.template = op.pathTemplate();
            this.accept = accept(op.answerTypes());
            this.billed = op.billed();
        }
    }

    private static String accept(List<String> types) {
        if (types.isEmpty()) {
            return "*/*";
        }
        // An error answer is JSON whatever the operation: accept it too for image operations.
        return types.contains("application/json") ? String.join(", ", types) : String.join(", ", types) + ", */*";
    }

    public Host host() {
        return host;
    }

    public String method() {
        return method;
    }

    /** The value of the Accept header. */
    public String accept() {
        return accept;
    }

    /** Whether a sent request may have started a paid job (a lost answer is then "outcome unknown"). */
    public boolean billed() {
        return billed;
    }

    /** Whether a request may be sent again after it may have reached the service. */
    public RetryPolicy.Operation kind() {
        return method.equals("GET") ? RetryPolicy.Operation.READ : RetryPolicy.Operation.SUBMIT;
    }

    /** At most this many bytes of a 2xx answer are read into memory. */
    public int bodyLimit() {
        return bodyLimit;
    }

    /**
     * The path, its one template variable (a model or a request id) filled with {@code argument}
     * as a path segment; for {@link #MEDIA}, the URL itself.
     */
    public String path(String argument) {
        if (template == null) {
            return argument;
        }
        int open = template.indexOf('{');
        if (open < 0) {
            return template;
        }
        int close = template.indexOf('}', open);
        return template.substring(0, open) + segment(argument) + template.substring(close + 1);
    }

    /** The spec's path template with its one variable renamed to {@code variable}, for an HTTP library's own templates; empty for {@link #MEDIA}. */
    public String template(String variable) {
        if (template == null) {
            return "";
        }
        int open = template.indexOf('{');
        return open < 0 ? template : template.substring(0, open) + '{' + variable + '}' + template.substring(template.indexOf('}', open) + 1);
    }

    /** How the request is named in logs, events and errors: {@code GET /v2/requests/<id>/status}. */
    public String describe(String argument) {
        if (this == MEDIA) {
            java.net.URI uri = java.net.URI.create(argument);
            return "GET " + uri.getHost() + uri.getRawPath();
        }
        return method + " " + path(argument);
    }

    /** A path segment: kept when it holds only unreserved characters (slugs and ids do), else percent-encoded. */
    static String segment(String value) {
        StringBuilder out = null;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            char c = (char) (bytes[i] & 0xff);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~';
            if (!plain && out == null) {
                out = new StringBuilder(new String(bytes, 0, i, StandardCharsets.UTF_8));
            }
            if (out != null) {
                if (plain) {
                    out.append(c);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((bytes[i] >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(bytes[i] & 0xf, 16)));
                }
            }
        }
        return out == null ? value : out.toString();
    }
}
