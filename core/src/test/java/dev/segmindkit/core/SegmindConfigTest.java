package dev.segmindkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmindConfigTest {
    private static final String CANARY = "SG_c4n4ry0000000001";

    private static SegmindConfig fromEnv(Map<String, String> properties, Map<String, String> env) {
        return SegmindConfig.builder().fromEnv(properties::get, env::get).build();
    }

    @Test
    void explicitKeyWinsOverSystemPropertyWhichWinsOverEnvironment() {
        Map<String, String> props = Map.of("segmind.apiKey", "SG_fromproperty");
        Map<String, String> env = Map.of("SEGMIND_API_KEY", "SG_fromenv");
        assertThat(fromEnv(props, env).apiKey()).isEqualTo("SG_fromproperty");
        assertThat(fromEnv(Map.of(), env).apiKey()).isEqualTo("SG_fromenv");
        assertThat(SegmindConfig.builder().apiKey("SG_explicit").fromEnv(props::get, env::get).build().apiKey()).isEqualTo("SG_explicit");
        // Order of calls does not matter: fromEnv only fills what is unset.
        assertThat(SegmindConfig.builder().fromEnv(props::get, env::get).apiKey("SG_explicit").build().apiKey()).isEqualTo("SG_explicit");
    }

    @Test
    void baseUrlFollowsTheSamePrecedence() {
        Map<String, String> props = Map.of("segmind.baseUrl", "https://prop.example");
        Map<String, String> env = Map.of("SEGMIND_BASE_URL", "https://env.example/", "SEGMIND_API_KEY", "k");
        assertThat(fromEnv(props, env).baseUrl()).isEqualTo(URI.create("https://prop.example"));
        assertThat(fromEnv(Map.of(), env).baseUrl()).isEqualTo(URI.create("https://env.example"));
        assertThat(SegmindConfig.builder().baseUrl("https://explicit.example").fromEnv(props::get, env::get).build().baseUrl())
                .isEqualTo(URI.create("https://explicit.example"));
        assertThat(fromEnv(Map.of(), Map.of("SEGMIND_API_KEY", "k")).baseUrl()).isEqualTo(SegmindConfig.DEFAULT_BASE_URL);
    }

    @Test
    void aMissingKeyFailsWithAMessageSayingHowToSetOne() {
        assertThatThrownBy(() -> fromEnv(Map.of(), Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SEGMIND_API_KEY").hasMessageContaining("segmind.apiKey").hasMessageContaining("apiKey(...)");
        assertThatThrownBy(() -> fromEnv(Map.of(), Map.of("SEGMIND_API_KEY", "  "))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theKeyNeverAppearsInToStringOrErrors() {
        SegmindConfig config = SegmindConfig.builder().apiKey(CANARY).build();
        assertThat(config.toString()).doesNotContain(CANARY).doesNotContain("c4n4ry").contains("apiKey=****");
        assertThatThrownBy(() -> SegmindConfig.builder().apiKey(CANARY + "\u0007")).hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> SegmindConfig.builder().apiKey("SG_ab cd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 5").hasMessageNotContaining("SG_ab");
    }

    @Test
    void surroundingWhitespaceIsTrimmedFromKeys() {
        assertThat(SegmindConfig.builder().apiKey("  SG_abc \n").build().apiKey()).isEqualTo("SG_abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://localhost:1234/", "http://[::1]:9000", "http://127.1.2.3"})
    void plainHttpIsAllowedForLoopbackHosts(String url) {
        assertThat(SegmindConfig.builder().apiKey("k").baseUrl(url).build().baseUrl().getScheme()).isEqualTo("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://api.segmind.com", "http://10.0.0.5:8080", "http://localhost.evil.com", "http://192.168.1.1"})
    void plainHttpIsRefusedForOtherHosts(String url) {
        assertThatThrownBy(() -> SegmindConfig.builder().baseUrl(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clear text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.segmind.com", "ftp://api.segmind.com", "https://", "https://user:pw@api.segmind.com",
            "https://api.segmind.com?x=1", "not a url"})
    void malformedBaseUrlsAreRefused(String url) {
        assertThatThrownBy(() -> SegmindConfig.builder().baseUrl(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseUrl");
    }

    @Test
    void aBadBaseUrlInTheEnvironmentNamesItsSource() {
        assertThatThrownBy(() -> fromEnv(Map.of(), Map.of("SEGMIND_API_KEY", "k", "SEGMIND_BASE_URL", "http://example.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SEGMIND_BASE_URL");
    }

    @Test
    void uploadUrlIsTheAssetHostForProductionAndTheBaseUrlOtherwise() {
        assertThat(SegmindConfig.builder().apiKey("k").build().uploadUrl()).isEqualTo(SegmindConfig.DEFAULT_UPLOAD_URL);
        assertThat(SegmindConfig.builder().apiKey("k").baseUrl("http://127.0.0.1:5000").build().uploadUrl())
                .isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(SegmindConfig.builder().apiKey("k").uploadUrl(URI.create("https://assets.example")).build().uploadUrl())
                .isEqualTo(URI.create("https://assets.example"));
    }

    @Test
    void toBuilderCopiesEveryValue() {
        TimeSource time = TimeSource.system();
        SegmindConfig config = SegmindConfig.builder().apiKey("k").baseUrl("https://x.example/prefix/")
                .pollingPolicy(PollingPolicy.fixed(Duration.ofSeconds(2))).retryPolicy(RetryPolicy.none()).timeSource(time)
                .connectTimeout(Duration.ofSeconds(3)).build();
        SegmindConfig copy = config.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.baseUrl()).isEqualTo(URI.create("https://x.example/prefix"));
        assertThat(copy.pollingPolicy()).isEqualTo(PollingPolicy.fixed(Duration.ofSeconds(2)));
        assertThat(copy.retryPolicy()).isEqualTo(RetryPolicy.none());
        assertThat(copy.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.toBuilder().apiKey("other").build().apiKey()).isEqualTo("other");
        assertThat(config.apiKey()).isEqualTo("k");
    }

    @Test
    void settersRejectBadValuesAtOnce() {
        assertThatThrownBy(() -> SegmindConfig.builder().connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> SegmindConfig.builder().pollingPolicy(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SegmindConfig.builder().apiKey("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyPastedIntoTheBaseUrlIsNotEchoedByItsError() {
        for (String url : List.of(CANARY, "https://api.segmind.com/" + CANARY + " x",
                "https://" + CANARY + "@api.segmind.com")) {
            assertThatThrownBy(() -> SegmindConfig.builder().apiKey(CANARY).baseUrl(url)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("baseUrl").hasMessageNotContaining(CANARY).hasNoCause();
        }
    }
}
