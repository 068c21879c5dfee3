package dev.segmindkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaDownloaderTest {
    private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4};

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<Map<String, List<String>>> seenHeaders = new CopyOnWriteArrayList<>();
    private final MediaDownloader downloader = MediaDownloader.create();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/media/out.png", exchange -> {
            seenHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, IMAGE.length);
            exchange.getResponseBody().write(IMAGE);
            exchange.close();
        });
        server.createContext("/media/expired", exchange -> {
            byte[] body = "<Error><Code>AccessDenied</Code></Error>".getBytes();
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void urlsAreFetchedWithoutAnyCredentials() {
        assertThat(downloader.read(url("/media/out.png"))).isEqualTo(IMAGE);
        assertThat(seenHeaders).singleElement().satisfies(h -> {
            assertThat(h.keySet()).noneMatch(k -> k.equalsIgnoreCase("x-api-key") || k.equalsIgnoreCase("authorization"));
        });
    }

    @Test
    void savingIntoADirectoryNamesTheFileAfterTheUrl() throws Exception {
        Path file = downloader.save(url("/media/out.png"), dir);
        assertThat(file).isEqualTo(dir.resolve("out.png"));
        assertThat(Files.readAllBytes(file)).isEqualTo(IMAGE);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void dataUrisAndBase64AreDecodedLocally() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(IMAGE);
        assertThat(downloader.read("data:image/png;base64," + b64)).isEqualTo(IMAGE);
        assertThat(downloader.read(b64)).isEqualTo(IMAGE);
        Path saved = downloader.save("data:image/webp;base64," + b64, dir);
        assertThat(saved.getFileName().toString()).isEqualTo("output.webp");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        downloader.copy(b64, out);
        assertThat(out.toByteArray()).isEqualTo(IMAGE);
    }

    @Test
    void anExpiredLinkIsATypedError() {
        assertThatThrownBy(() -> downloader.read(url("/media/expired"))).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void anUnreachableHostIsANetworkError() {
        String closed = url("/media/out.png");
        server.stop(0);
        assertThatThrownBy(() -> downloader.read(closed)).isInstanceOf(SegmindIOException.class);
    }

    @Test
    void nonsenseOutputsAreRefused() {
        assertThatThrownBy(() -> downloader.read("data:text/plain,hello")).isInstanceOf(SegmindIOException.class)
                .hasMessageContaining("without base64");
        assertThatThrownBy(() -> downloader.read("not base64 at all!")).isInstanceOf(SegmindIOException.class)
                .hasMessageContaining("neither a URL");
        // Found by MediaDownloaderFuzzTest: a single base64 character, and URLs the HTTP client cannot take.
        assertThatThrownBy(() -> downloader.read("A")).isInstanceOf(SegmindIOException.class);
        assertThatThrownBy(() -> downloader.read("http://host/a b.png")).isInstanceOf(SegmindIOException.class)
                .hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> downloader.read("http:///no-host.png")).isInstanceOf(SegmindIOException.class)
                .hasMessageContaining("no host");
    }

    @Test
    void extensionsFollowTheContentType() {
        assertThat(MediaDownloader.extensionFor("image/jpeg")).isEqualTo(".jpg");
        assertThat(MediaDownloader.extensionFor("image/webp")).isEqualTo(".webp");
        assertThat(MediaDownloader.extensionFor("image/png; charset=x")).isEqualTo(".png");
        assertThat(MediaDownloader.extensionFor(null)).isEqualTo(".bin");
    }
}
