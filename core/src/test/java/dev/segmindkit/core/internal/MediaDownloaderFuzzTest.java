package dev.segmindkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.segmindkit.core.MediaDownloader;
import dev.segmindkit.core.SegmindException;
import dev.segmindkit.core.SegmindIOException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * {@link MediaDownloader#read} on any job output the service might send: a {@code data:} URI, raw
 * base64, or a media URL. Inline forms decode or fail with a {@link SegmindException}; base64 made
 * from bytes decodes back to those bytes. URLs are only ever aimed at a closed port on loopback (the
 * fuzzer picks the path, never the host), so no input reaches the network: a parse error or the
 * refused connection must both surface as a {@link SegmindException}. See core/FUZZING.md.
 */
class MediaDownloaderFuzzTest {
    private static final MediaDownloader DOWNLOADER = MediaDownloader.create(Duration.ofSeconds(2));
    private static final int CLOSED_PORT = closedPort();
    private static final String CLOSED_LOOPBACK = "http://127.0.0.1:" + CLOSED_PORT;

    static {
        // Jazzer instruments a class when it loads; loading them here, before the fuzzer's clock
        // starts, leaves the short run in the build its few seconds for actual fuzzing.
        for (String output : new String[] {"data:image/png;base64,AAAA", "AAAA", "A", "data:x,y", CLOSED_LOOPBACK + "/a.png",
            "http://a b"}) {
            try {
                DOWNLOADER.read(output);
            } catch (SegmindException expected) {
                // warming up only
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"data:", ";base64,", "image/png", "base64", "=", "==", "%", "\\", " ", "#", "?", "[", "]"})
    @SuppressWarnings("try") // the resource is the permission itself, held for the block's length
    void anyOutputDecodesOrFailsWithASegmindException(FuzzedDataProvider data) {
        // Jazzer's SSRF detector flags every connection; this one, to our closed port, is the
        // downloader's job. Any other host or port would still be reported as a finding.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections(
                (host, port) -> port == CLOSED_PORT && (host.equals("127.0.0.1") || host.equals("localhost")))) {
            fuzz(data);
        }
    }

    private static void fuzz(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 3)) {
            case 0: {
                byte[] image = data.consumeRemainingAsBytes();
                String prefix = "data:image/png;base64,";
                assertThat(DOWNLOADER.read(prefix + Base64.getEncoder().encodeToString(image))).isEqualTo(image);
                assertThat(DOWNLOADER.read(Base64.getMimeEncoder().encodeToString(image))).isEqualTo(image);
                return;
            }
            case 1:
                readOrFail(CLOSED_LOOPBACK + "/" + data.consumeRemainingAsString(), true);
                return;
            default:
                String output = data.consumeRemainingAsString();
                readOrFail(output, false);
        }
    }

    private static void readOrFail(String output, boolean url) {
        if (!url && isUrl(output)) {
            return; // only loopback URLs of our own making may be fetched
        }
        try {
            assertThat(DOWNLOADER.read(output)).isNotNull();
        } catch (SegmindIOException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (SegmindException e) {
            assertThat(url).as("only a fetched URL can fail with an API error").isTrue();
        }
    }

    private static boolean isUrl(String output) {
        String o = output.strip().toLowerCase(Locale.ROOT);
        return o.startsWith("http:") || o.startsWith("https:") || o.contains("://");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
