package dev.segmindkit.core.internal;

import dev.segmindkit.core.ProxySettings;
import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;

/**
 * {@link ProxySettings} applied to a JDK {@link HttpClient}: a proxy selector that honours the
 * non-proxy hosts, and an authenticator that answers the proxy's 407 (and only the proxy's: a
 * server's 401 never gets the proxy's password).
 */
public final class JdkProxy {
    private JdkProxy() {
    }

    /**
     * Routes the client's requests through the proxy, if there is one.
     *
     * @param builder the client's builder
     * @param proxy the settings, or empty to leave the builder as it is
     * @return the builder
     */
    public static HttpClient.Builder configure(HttpClient.Builder builder, Optional<ProxySettings> proxy) {
        proxy.ifPresent(p -> {
            Proxy through = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.host(), p.port()));
            builder.proxy(new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    return p.bypasses(uri.getHost()) ? List.of(Proxy.NO_PROXY) : List.of(through);
                }

                @Override
                public void connectFailed(URI uri, SocketAddress address, IOException e) {
                    // Nothing to fall back to: the failure reaches the caller as a connect error.
                }
            });
            p.username().ifPresent(user -> builder.authenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.PROXY
                            ? new PasswordAuthentication(user, p.password().orElse("").toCharArray()) : null;
                }
            }));
        });
        return builder;
    }
}
