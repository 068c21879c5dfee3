package dev.segmindkit.core.internal;

import dev.segmindkit.core.SegmindIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Where media downloads may go. An output URL or a media redirect comes from an answer, so a
 * hostile or broken server could point it anywhere, the app's own network included (the key is
 * never sent there, but the request itself can do harm: cloud metadata endpoints, admin ports). So
 * unless the builder allows it, a download refuses loopback, private (RFC 1918, unique local),
 * link-local (the 169.254.0.0/16 metadata range among them), wildcard and multicast addresses,
 * except on the API's own hosts (a fake server on loopback serves its own media). Each client
 * checks the address it actually connects to, so a name that resolves inside is refused too.
 */
public final class MediaGuard {
    /** Redirects a download follows at most. */
    public static final int MAX_REDIRECTS = 5;
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata", "instance-data");

    private final boolean allowPrivate;
    private final Set<String> ownHosts;

    MediaGuard(boolean allowPrivate, URI baseUrl, URI uploadUrl) {
        this.allowPrivate = allowPrivate;
        this.ownHosts = new java.util.HashSet<>(java.util.List.of(host(baseUrl), host(uploadUrl)));
    }

    /**
     * Checks a media URL before anything is sent: an http(s) URL, not naming a refused address
     * literally or a metadata host.
     *
     * @throws RefusedException if the URL may not be fetched
     */
    public URI check(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new RefusedException("the output URL is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new RefusedException("only absolute http(s) URLs are downloaded, got " + describe(uri));
        }
        String host = host(uri);
        if (allowPrivate || ownHosts.contains(host)) {
            return uri;
        }
        if (METADATA_NAMES.contains(host) || host.equals("localhost") || host.endsWith(".localhost")) {
            throw refused(uri, host);
        }
        if (isLiteral(host)) {
            try {
                check(uri, InetAddress.getByName(host));
            } catch (java.net.UnknownHostException e) {
                throw new RefusedException("the output URL's host is not a valid address: " + describe(uri));
            }
        }
        return uri;
    }

    /** Whether a URL (a redirect's Location, say) may be fetched, by {@link #check(String)}. */
    public boolean allows(String url) {
        try {
            check(url);
            return true;
        } catch (RefusedException e) {
            return false;
        }
    }

    /**
     * Checks the address a download is about to connect to.
     *
     * @throws RefusedException if it may not be reached
     */
    public void check(URI uri, InetAddress address) {
        if (allowPrivate || ownHosts.contains(host(uri)) || address == null) {
            return;
        }
        if (isInternal(address)) {
            throw refused(uri, address.getHostAddress());
        }
    }

    /** Whether the address is one a download refuses by default. */
    static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            // fc00::/7 unique local; ::ffff:a.b.c.d handled by the JDK as Inet4Address.
            return (b[0] & 0xfe) == 0xfc;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        // 100.64.0.0/10 carrier-grade NAT, 0.0.0.0/8, 198.18.0.0/15 benchmarking: never a public CDN.
        return first == 0 || first == 100 && (second & 0xc0) == 64 || first == 198 && (second == 18 || second == 19);
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    private static String host(URI uri) {
        String h = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static RefusedException refused(URI uri, String address) {
        return new RefusedException("refusing to download " + describe(uri) + ": " + address
                + " is a private, loopback, link-local or metadata address (allow it with allowPrivateMediaAddresses(true) on the builder)");
    }

    private static String describe(URI uri) {
        String s = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** A download refused before anything was sent; never retried. */
    public static final class RefusedException extends SegmindIOException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message, false, null, null);
        }
    }
}
