package dev.segmindkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmindkit.core.internal.UserAgent;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
    @Test
    void nonProxyHostPatternsMatchWholeNamesOrAStarredPrefixOrSuffixIgnoringCase() {
        ProxySettings p = ProxySettings.http("proxy.corp.example", 3128).withNonProxyHosts("localhost", "*.Corp.Example", "10.*", "::1");

        assertThat(p.bypasses("LOCALHOST")).isTrue();
        assertThat(p.bypasses("api.corp.example")).isTrue();
        assertThat(p.bypasses("10.1.2.3")).isTrue();
        assertThat(p.bypasses("[::1]")).isTrue();
        assertThat(p.bypasses("api.segmind.com")).isFalse();
        assertThat(p.bypasses("notlocalhost")).isFalse();
        assertThat(ProxySettings.http("p", 1).bypasses("localhost")).as("no pattern: everything goes through the proxy").isFalse();
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        assertThatThrownBy(() -> ProxySettings.http(" ", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxySettings.http("p", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxySettings.http("p", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxySettings.http("p", 80).withCredentials("a:b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxySettings.http("p", 80).withNonProxyHosts("a*b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePasswordIsNeverShownButTheRestIs() {
        ProxySettings p = ProxySettings.http("proxy", 8080).withCredentials("svc", "hunter2");
        SegmindConfig config = SegmindConfig.builder().apiKey("SG_0123456789abcdef").proxy(p).build();

        assertThat(p.toString()).contains("proxy:8080", "svc").doesNotContain("hunter2");
        assertThat(config.toString()).contains("proxy:8080").doesNotContain("hunter2");
        assertThat(config.proxy()).contains(p);
        assertThat(config.toBuilder().build().proxy()).contains(p);
    }

    @Test
    void theUserAgentNamesSdkVersionFlavourAndJavaThenTheApplication() {
        SegmindConfig config = SegmindConfig.builder().apiKey("SG_0123456789abcdef").userAgentProduct("my-app/2.1").build();

        assertThat(UserAgent.of("blocking", config.userAgentProduct()))
                .isEqualTo("segmindkit-java/" + UserAgent.VERSION + " (blocking; Java " + System.getProperty("java.version") + ") my-app/2.1");
        assertThat(UserAgent.of("reactive", Optional.empty())).endsWith("(reactive; Java " + System.getProperty("java.version") + ")");
        assertThat(UserAgent.VERSION).doesNotContain("${");
        assertThatThrownBy(() -> SegmindConfig.builder().userAgentProduct("app\r\nX-Injected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmindConfig.builder().userAgentProduct(" app")).isInstanceOf(IllegalArgumentException.class);
    }
}
