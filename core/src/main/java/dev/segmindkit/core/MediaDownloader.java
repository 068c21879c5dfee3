package dev.segmindkit.core;

import dev.segmindkit.core.internal.ErrorMapper;
import dev.segmindkit.core.internal.InlineOutput;
import dev.segmindkit.core.internal.JdkHttpClients;
import dev.segmindkit.core.internal.JdkProxy;
import dev.segmindkit.core.internal.MalformedResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a job's output into bytes or a file, whatever form the service gave it: a media URL, a
 * {@code data:} URI or raw base64.
 *
 * <p>Media URLs are fetched with no credentials at all: the service's media links are public, and
 * the API key is never sent to an origin other than the API's. Downloads stream, so a large image
 * is never held whole in memory when saved or copied.
 *
 * <p>Failures: a non-2xx answer becomes the {@link SegmindApiException} for its status (a media
 * link older than the service's 7 days is typically a 403 or 404); network failures become {@link
 * SegmindIOException}; an output that is none of the three forms (bad base64, a data URI without
 * base64, a URL that does not parse) is a {@link SegmindIOException} too: the service's answer was
 * unreadable, as with any other malformed answer.
 */
public final class MediaDownloader implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger DOWNLOADERS = new java.util.concurrent.atomic.AtomicInteger();

    private final java.util.concurrent.ExecutorService executor;
    private final Duration timeout;
    /** Null once closed, so that on JDK 17 to 20 the JDK client becomes unreachable and ends. */
    private volatile HttpClient http;

    private MediaDownloader(Duration timeout, Optional<ProxySettings> proxy) {
        int id = DOWNLOADERS.incrementAndGet();
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        this.executor = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "segmindkit-media-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timeout = timeout;
        this.http = JdkProxy.configure(HttpClient.newBuilder(), proxy).connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).executor(executor).build();
    }

    /** A downloader with a 60 s timeout per download. */
    public static MediaDownloader create() {
        return create(Duration.ofSeconds(60));
    }

    /** A downloader with the given timeout per download. */
    public static MediaDownloader create(Duration timeout) {
        return create(timeout, Optional.empty());
    }

    /**
     * A downloader with the given timeout per download, through a proxy when one is given (as a
     * client's {@link SegmindConfig#proxy()}).
     *
     * @param timeout the time each download may take
     * @param proxy the proxy, or empty to connect directly
     * @return the downloader
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static MediaDownloader create(Duration timeout, Optional<ProxySettings> proxy) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(proxy, "proxy");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new MediaDownloader(timeout, proxy);
    }

    /** The output's bytes. */
    public byte[] read(String output) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        copy(output, buffer);
        return buffer.toByteArray();
    }

    /** Writes the output's bytes to {@code out}, streaming; does not close it. */
    public void copy(String output, OutputStream out) {
        Objects.requireNonNull(out, "out");
        try {
            try (InputStream in = open(output)) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            throw new SegmindIOException("download of output failed: " + e.getMessage(), true, null, e);
        }
    }

    /**
     * Saves the output to a file, streaming. If {@code target} is an existing directory, the file
     * is created in it, named after the URL's last path segment, or {@code output} with the
     * extension of its content type. Returns the file written.
     */
    public Path save(String output, Path target) {
        Objects.requireNonNull(target, "target");
        Opened opened = openWithType(output);
        Path file = Files.isDirectory(target) ? target.resolve(fileName(output, opened.contentType)) : target;
        try (InputStream in = opened.body) {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".segmind-", ".part");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("saving output to " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** The file extension (with the dot) for a MIME type, or for an output's own form. */
    public static String extensionFor(String contentType) {
        String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (t.contains("webp")) {
            return ".webp";
        }
        if (t.contains("jpeg") || t.contains("jpg")) {
            return ".jpg";
        }
        if (t.contains("png")) {
            return ".png";
        }
        if (t.contains("gif")) {
            return ".gif";
        }
        return ".bin";
    }

    private InputStream open(String output) {
        return openWithType(output).body;
    }

    private static final class Opened {
        final InputStream body;
        final String contentType;

        Opened(InputStream body, String contentType) {
            this.body = body;
            this.contentType = contentType;
        }
    }

    private Opened openWithType(String output) {
        Objects.requireNonNull(output, "output");
        String o = output.strip();
        if (InlineOutput.isUrl(o)) {
            return fetch(url(o));
        }
        return new Opened(new java.io.ByteArrayInputStream(InlineOutput.decode(o)), InlineOutput.contentType(o));
    }

    /** The output as an absolute http(s) URL with a host, which is all the HTTP client accepts. */
    private static URI url(String output) {
        try {
            URI uri = new URI(output);
            if (uri.getHost() == null) {
                throw new MalformedResponseException("the output URL has no host: " + abbreviate(output));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new MalformedResponseException("the output is not a valid URL: " + abbreviate(e.getMessage()), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private Opened fetch(URI uri) {
        // Deliberately no x-api-key here: media URLs are public and may be on any host.
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpClient client = http;
        if (client == null) {
            throw new IllegalStateException("this MediaDownloader is closed");
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new SegmindIOException("could not connect to " + uri.getHost() + " to download output", false, null, e);
        } catch (IOException e) {
            throw new SegmindIOException("download from " + uri.getHost() + " failed: " + e.getMessage(), true, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SegmindIOException("interrupted while downloading output", true, null, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(64 * 1024);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw ErrorMapper.map(status, response.headers().map(), body, "GET " + uri.getHost() + uri.getRawPath(), null, Instant.now());
        }
        return new Opened(response.body(), response.headers().firstValue("content-type").orElse(""));
    }

    private static String fileName(String output, String contentType) {
        String o = output.strip();
        if (o.startsWith("http")) {
            String path = URI.create(o).getPath();
            if (path != null) {
                String last = path.substring(path.lastIndexOf('/') + 1);
                if (last.matches("[\\w.-]{1,100}") && last.contains(".")) {
                    return last;
                }
            }
        }
        return "output" + extensionFor(contentType);
    }

    /**
     * Releases the HTTP client: its threads end, and from JDK 21 its connections close at once; on
     * JDK 17 to 20, which cannot close it, they close once the garbage collector reclaims it.
     * Later downloads of URLs throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        HttpClient client = http;
        http = null;
        JdkHttpClients.close(client, executor);
    }
}
