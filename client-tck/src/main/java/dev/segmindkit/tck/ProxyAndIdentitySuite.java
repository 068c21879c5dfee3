package dev.segmindkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.ProxySettings;
import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.internal.UserAgent;
import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.ManualClock;
import dev.segmindkit.testkit.Tenant;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who the client says it is, and how it goes through an HTTP proxy, written once for both
 * clients: every request carries {@code User-Agent: segmindkit-java/<version> (<flavour>; Java
 * <version>) <application>}, and with {@link ProxySettings} every request goes through a {@link
 * LoopbackProxy} (forwarded or tunneled, with Basic credentials when it asks for them) except to
 * the non-proxy hosts. The proxy relays to the testkit's fake server on loopback.
 */
public abstract class ProxyAndIdentitySuite {
    private static final String APPLICATION = "acme-render/4.2 (+https://acme.example/bot)";
    private static FakeSegmindServer server;

    private Tenant tenant;

    /**
     * How this module makes its clients.
     *
     * @return the module's factory
     */
    protected abstract ClientFactory clients();

    /**
     * The client's word in the User-Agent.
     *
     * @return {@code blocking} or {@code reactive}
     */
    protected abstract String flavour();

    @BeforeAll
    static void startServer() {
        server = FakeSegmindServer.builder().timeline(Duration.ZERO, Duration.ZERO).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newTenant() {
        tenant = server.newTenant();
    }

    private SegmindConfig.Builder config() {
        return SegmindConfig.builder().apiKey(tenant.apiKey()).baseUrl(server.baseUrl());
    }

    /** A submit, a status look, a result look and a credits call: four exchanges, each of its own kind. */
    private void exchangeWith(SegmindConfig config) {
        try (ClientAdapter client = clients().newClient(config, new ManualClock())) {
            String id = client.submit(ModelRequest.of("style-transfer", Map.of("style_image", "https://example.com/s.png")));
            assertThat(client.status(id).requestId()).isEqualTo(id);
            assertThat(client.result(id).status().value()).isEqualTo("COMPLETED");
            assertThat(client.credits()).isNotNull();
        }
    }

    @Test
    void everyRequestNamesTheSdkItsVersionTheClientTheJavaVersionAndTheApplication() {
        try (LoopbackProxy proxy = LoopbackProxy.open()) {
            exchangeWith(config().userAgentProduct(APPLICATION).proxy(ProxySettings.http(proxy.host(), proxy.port())).build());

            String expected = "segmindkit-java/" + UserAgent.VERSION + " (" + flavour() + "; Java " + System.getProperty("java.version") + ") "
                    + APPLICATION;
            assertThat(UserAgent.VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(proxy.requestLines()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(proxy.userAgents()).hasSameSizeAs(proxy.requestLines()).containsOnly(expected);
        }
    }

    @Test
    void withoutAnApplicationTokenTheUserAgentIsTheSdksAlone() {
        try (LoopbackProxy proxy = LoopbackProxy.open()) {
            exchangeWith(config().proxy(ProxySettings.http(proxy.host(), proxy.port())).build());

            assertThat(proxy.userAgents()).isNotEmpty().containsOnly(UserAgent.of(flavour(), java.util.Optional.empty()));
        }
    }

    @Test
    void credentialsAreGivenToAProxyThatAsksForThem() {
        try (LoopbackProxy proxy = LoopbackProxy.requiringCredentials("svc-segmind", "s3cret:with colon")) {
            exchangeWith(config().proxy(ProxySettings.http(proxy.host(), proxy.port()).withCredentials("svc-segmind", "s3cret:with colon")).build());

            assertThat(proxy.requestLines()).hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aProxyThatRefusesTheCredentialsFailsTheCallAndNothingReachesTheApi() {
        try (LoopbackProxy proxy = LoopbackProxy.requiringCredentials("svc-segmind", "right");
                ClientAdapter client = clients().newClient(
                        config().proxy(ProxySettings.http(proxy.host(), proxy.port()).withCredentials("svc-segmind", "wrong")).build(), new ManualClock())) {
            assertThatThrownBy(client::credits).isInstanceOf(SegmindException.class);

            assertThat(proxy.refusedForCredentials()).isPositive();
            assertThat(proxy.requestLines()).isEmpty();
        }
    }

    @Test
    void nonProxyHostsAreReachedDirectly() {
        try (LoopbackProxy proxy = LoopbackProxy.open()) {
            exchangeWith(config().proxy(ProxySettings.http(proxy.host(), proxy.port()).withNonProxyHosts(server.baseUrl().getHost())).build());

            assertThat(proxy.connectionLines()).isEmpty();
        }
    }
}
