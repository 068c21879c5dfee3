package dev.segmindkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one option parser of the standalone jar and of the CLI's fake-server. */
class FakeServerOptionsTest {
    @Test
    void everyOptionStartsTheServerItDescribes() {
        FakeServerOptions options = FakeServerOptions.parse("--port", "0", "--host=127.0.0.1", "--api-key", "SG_0000000000000001",
                "--time", "auto=5s", "--queued", "1s", "--processing", "2s", "--model", "flux-schnell", "--price", "flux-schnell=0.5",
                "--price=style-transfer=0.03", "--credits", "7", "--public-url", "http://fake:8080");

        try (FakeServerOptions.Running running = options.start()) {
            Tenant tenant = running.server().tenant("SG_0000000000000001").orElseThrow();
            assertThat(running.apiKeys()).containsExactly("SG_0000000000000001");
            assertThat(tenant.credits()).isEqualTo(7.0);
            assertThat(tenant.priceOf("flux-schnell")).isEqualTo(0.5);
            assertThat(tenant.priceOf("style-transfer")).isEqualTo(0.03);
            assertThat(tenant.autoAdvanceStep()).hasSeconds(5);
            assertThat(tenant.defaultProcessing("style-transfer")).hasSeconds(2);
            assertThat(running.server().publicBaseUrl().toString()).isEqualTo("http://fake:8080");
            assertThat(running.banner()).contains("API key: SG_0000000000000001", "public base URL: http://fake:8080");
        }
    }

    @Test
    void withoutKeysOneRandomKeyIsMade() {
        try (FakeServerOptions.Running running = FakeServerOptions.parse("--port", "0").start()) {
            assertThat(running.apiKeys()).singleElement().asString().matches("SG_[0-9a-f]{16}");
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> FakeServerOptions.parse("--time", "sometimes")).hasMessage("--time is real, manual or auto=STEP, not sometimes");
        assertThatThrownBy(() -> FakeServerOptions.parse("--port")).hasMessage("--port needs a value");
        assertThatThrownBy(() -> FakeServerOptions.parse("--port", "http")).hasMessage("--port takes a number 0..65535, not http");
        assertThatThrownBy(() -> FakeServerOptions.parse("--price", "cheap")).hasMessageStartingWith("--price takes SLUG=N");
        assertThatThrownBy(() -> FakeServerOptions.parse("--credits", "5")).hasMessageStartingWith("--credits applies to the keys");
        assertThatThrownBy(() -> FakeServerOptions.parse("--public-url", "fake:8080")).hasMessageStartingWith("--public-url fake:8080");
        assertThatThrownBy(() -> FakeServerOptions.parse("--verbose")).hasMessage("unknown option --verbose");
        assertThat(FakeServerOptions.parse("--help").help()).isTrue();
    }
}
