package dev.segmindkit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP proxy for both clients: its host and port, the credentials it asks for, and the hosts
 * reached directly instead. Immutable; each {@code with...} returns a changed copy.
 *
 * <pre>{@code
 * ProxySettings proxy = ProxySettings.http("proxy.corp.example", 3128)
 *         .withCredentials("svc-segmind", System.getenv("PROXY_PASSWORD"))
 *         .withNonProxyHosts("localhost", "*.corp.example");
 * }</pre>
 *
 * <p>Requests to an {@code https} URL go through a {@code CONNECT} tunnel, so the proxy never sees
 * the API key; requests to a plain {@code http} URL (a fake server) are forwarded. Credentials are
 * sent with HTTP Basic. The blocking client runs on the JDK's HTTP client, which by default refuses
 * Basic credentials for {@code CONNECT} tunnels: to use an authenticating proxy for {@code https}
 * there, start the JVM with {@code -Djdk.http.auth.tunneling.disabledSchemes=""}. The password
 * never appears in {@link #toString()}.
 */
public final class ProxySettings {
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final List<String> nonProxyHosts;

    private ProxySettings(String host, int port, String username, String password, List<String> nonProxyHosts) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.nonProxyHosts = nonProxyHosts;
    }

    /**
     * An HTTP proxy without credentials that every request goes through.
     *
     * @param host the proxy's host name or address
     * @param port the proxy's port, 1 to 65535
     * @return the settings
     * @throws IllegalArgumentException if the host is blank or holds spaces, or the port is out of range
     */
    public static ProxySettings http(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("a proxy host must not be blank or hold spaces: '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a proxy port must be 1 to 65535, got " + port);
        }
        return new ProxySettings(host, port, null, null, List.of());
    }

    /**
     * These settings with the proxy's credentials, sent with HTTP Basic.
     *
     * @param username the user name, not blank and without a colon
     * @param password the password
     * @return a copy with the credentials
     * @throws IllegalArgumentException if the user name is blank or holds a colon
     */
    public ProxySettings withCredentials(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank() || username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a proxy user name must not be blank or hold a colon");
        }
        return new ProxySettings(host, port, username, password, nonProxyHosts);
    }

    /**
     * These settings with hosts reached directly, not through the proxy, replacing any given
     * before. A pattern is a host name or address, or one with a {@code *} at its start or end
     * ({@code *.corp.example}, {@code 10.*}), as in the JDK's {@code http.nonProxyHosts}; case
     * does not matter.
     *
     * @param patterns the host patterns
     * @return a copy with the patterns
     * @throws IllegalArgumentException if a pattern is blank, holds spaces or a {@code *} in its middle
     */
    public ProxySettings withNonProxyHosts(String... patterns) {
        List<String> checked = new ArrayList<>();
        for (String pattern : patterns) {
            Objects.requireNonNull(pattern, "pattern");
            String p = pattern.strip().toLowerCase(Locale.ROOT);
            int star = p.indexOf('*', 1);
            if (p.isEmpty() || p.chars().anyMatch(c -> c <= ' ') || star > 0 && star < p.length() - 1 || p.equals("*") && patterns.length > 1) {
                throw new IllegalArgumentException("not a usable non-proxy host pattern: '" + pattern + "'");
            }
            checked.add(p);
        }
        return new ProxySettings(host, port, username, password, List.copyOf(checked));
    }

    /**
     * The proxy's host.
     *
     * @return the host name or address
     */
    public String host() {
        return host;
    }

    /**
     * The proxy's port.
     *
     * @return 1 to 65535
     */
    public int port() {
        return port;
    }

    /**
     * The user name the proxy is given.
     *
     * @return the user name, or empty without credentials
     */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /**
     * The password the proxy is given.
     *
     * @return the password, or empty without credentials
     */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /**
     * The patterns of hosts reached directly.
     *
     * @return the patterns, lower case, in the order given
     */
    public List<String> nonProxyHosts() {
        return nonProxyHosts;
    }

    /**
     * Whether a request to this host bypasses the proxy, by {@link #nonProxyHosts()}.
     *
     * @param targetHost the host of the request's URL
     * @return true if it is reached directly
     */
    public boolean bypasses(String targetHost) {
        String h = targetHost.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String p : nonProxyHosts) {
            if (p.equals("*")
                    || p.startsWith("*") && h.endsWith(p.substring(1))
                    || p.endsWith("*") && h.startsWith(p.substring(0, p.length() - 1))
                    || p.equals(h)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxySettings && ((ProxySettings) o).host.equals(host) && ((ProxySettings) o).port == port
                && Objects.equals(((ProxySettings) o).username, username) && Objects.equals(((ProxySettings) o).password, password)
                && ((ProxySettings) o).nonProxyHosts.equals(nonProxyHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, username, nonProxyHosts);
    }

    @Override
    public String toString() {
        return "ProxySettings{" + host + ":" + port + (username == null ? "" : ", username=" + username + ", password=****")
                + (nonProxyHosts.isEmpty() ? "" : ", nonProxyHosts=" + nonProxyHosts) + '}';
    }
}
