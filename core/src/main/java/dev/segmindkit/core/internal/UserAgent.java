package dev.segmindkit.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code User-Agent} both clients send on every request to the API:
 * {@code segmindkit-java/<version> (<blocking|reactive>; Java <version>)}, then the application's
 * own product token when it gave one ({@link dev.segmindkit.core.SegmindConfig#userAgentProduct()}),
 * so the service (and whoever reads its logs for a support case) can tell SDK, version, client
 * flavour, runtime and application apart.
 *
 * <p>The SDK version is written into a resource of this package by the build, so it is read the
 * same way from a jar, a shaded jar, an exploded directory or the module path.
 */
public final class UserAgent {
    /** The product name, as it appears in the header. */
    public static final String PRODUCT = "segmindkit-java";
    /** This SDK's version, as the build recorded it. */
    public static final String VERSION = readVersion();

    private UserAgent() {
    }

    /**
     * The header value.
     *
     * @param flavour {@code blocking} or {@code reactive}
     * @param application the application's product token, appended after ours
     * @return the whole {@code User-Agent} value
     */
    public static String of(String flavour, Optional<String> application) {
        String ours = PRODUCT + "/" + VERSION + " (" + flavour + "; Java " + System.getProperty("java.version") + ")";
        return application.map(app -> ours + " " + app).orElse(ours);
    }

    /**
     * Checks an application's product token: printable ASCII without leading or trailing space,
     * as an HTTP header value allows ({@code my-app/2.1}, or several products and comments).
     *
     * @param token the token to check
     * @return the token
     * @throws IllegalArgumentException if it is blank or holds a character a header cannot carry
     */
    public static String checkProduct(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a User-Agent product token must not be blank");
        }
        if (!token.equals(token.strip())) {
            throw new IllegalArgumentException("a User-Agent product token must not start or end with spaces: '" + token + "'");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < ' ' || c > '~') {
                throw new IllegalArgumentException("a User-Agent product token may hold printable ASCII only; character " + i
                        + " of '" + token.replaceAll("[^ -~]", "?") + "' is not");
            }
        }
        return token;
    }

    private static String readVersion() {
        try (InputStream in = UserAgent.class.getResourceAsStream("segmindkit.properties")) {
            if (in == null) {
                throw new IllegalStateException("segmindkit.properties is missing from segmindkit-core: the jar is incomplete");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
