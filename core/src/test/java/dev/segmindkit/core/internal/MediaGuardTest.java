package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Where media downloads may go: the literal ranges the hostile-server suite cannot reach on loopback. */
class MediaGuardTest {
    private final MediaGuard guard = new MediaGuard(false, URI.create("https://api.segmind.com"), URI.create("https://workflows-api.segmind.com"));

    @Test
    void internalAddressesAreRefusedBeforeAnythingIsSent() {
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.8/x.png", "http://172.16.3.4/x",
                "http://192.168.1.1/x", "http://127.0.0.1:8080/x", "http://[::1]/x", "http://[fd00::1]/x", "http://[fe80::1]/x",
                "http://0.0.0.0/x", "http://100.64.0.1/x", "http://localhost/x", "http://metadata.google.internal/computeMetadata/v1/"}) {
            assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(MediaGuard.RefusedException.class)
                    .hasMessageContaining("allowPrivateMediaAddresses");
        }
    }

    @Test
    void publicHostsAndTheApisOwnHostsAreFetched() throws Exception {
        assertThat(guard.check("https://segmind-sd-models.s3.amazonaws.com/out.webp").getHost()).isEqualTo("segmind-sd-models.s3.amazonaws.com");
        assertThat(guard.check("http://8.8.8.8/x.png").getHost()).isEqualTo("8.8.8.8");
        guard.check(URI.create("https://api.segmind.com/x"), InetAddress.getByName("10.1.2.3"));
    }

    @Test
    void aNameThatResolvesInsideIsRefusedAtConnectTime() throws Exception {
        URI cdn = URI.create("https://cdn.example.com/out.png");
        assertThatThrownBy(() -> guard.check(cdn, InetAddress.getByName("169.254.169.254"))).isInstanceOf(MediaGuard.RefusedException.class);
        guard.check(cdn, InetAddress.getByName("93.184.216.34"));
    }

    @Test
    void onlyAbsoluteHttpUrlsAreFetched() {
        for (String url : new String[] {"/media/out.png", "file:///etc/passwd", "ftp://example.com/x", "gopher://x", "http:///x"}) {
            assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(MediaGuard.RefusedException.class);
        }
    }

    @Test
    void theBuilderMayAllowPrivateAddresses() {
        MediaGuard open = new MediaGuard(true, URI.create("https://api.segmind.com"), URI.create("https://api.segmind.com"));
        assertThat(open.check("http://10.0.0.8/x.png").getHost()).isEqualTo("10.0.0.8");
    }
}
