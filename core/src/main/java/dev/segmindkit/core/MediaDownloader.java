package dev.segmindkit.core;

import dev.segmindkit.core.internal.ErrorMapper;
import dev.segmindkit.core.internal.InlineOutput;
import dev.segmindkit.core.internal.JdkHttpClients;
import dev.segmindkit.core.internal.MalformedResponseException;
import dev.segmindkit.core.internal.MediaFetcher;
import dev.segmindkit.core.internal.Route;
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
    private final MediaFetcher fetcher;

    private MediaDownloader(MediaFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** A downloader of its own (not a client's), with a 60 s timeout per download and no retries. */
    public static MediaDownloader create() {
        return create(Duration.ofSeconds(60));
    }

    /** A downloader of its own (not a client's), with the given timeout per download and no retries. */
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
        return new MediaDownloader(new JdkFetcher(timeout, proxy));
    }

    /** A client's downloader, over the client's own transport (for the clients; not a public API). */
    public static MediaDownloader over(MediaFetcher fetcher) {
        return new MediaDownloader(Objects.requireNonNull(fetcher, "fetcher"));
    }

    /** The output's bytes (at most {@value dev.segmindkit.core.internal.Route.Limits#IMAGE} bytes: save larger ones). */
    public byte[] read(String output) {
        return open(output, (in, type) -> {
            byte[] bytes = in.readNBytes(Route.Limits.IMAGE + 1);
            if (bytes.length > Route.Limits.IMAGE) {
                throw new MalformedResponseException("the download is over " + Route.Limits.IMAGE + " bytes: save it to a file instead");
            }
            return bytes;
        });
    }

    /**
     * Writes the output's bytes to {@code out}; does not close it. A URL is downloaded whole to a
     * temporary file first, so a retried download never writes part of the image twice.
     */
    public void copy(String output, OutputStream out) {
        Objects.requireNonNull(out, "out");
        try {
            Path tmp = Files.createTempFile("segmind-", ".part");
            try {
                save(output, tmp);
                Files.copy(tmp, out);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying output failed: " + e.getMessage(), e);
        }
    }

    /**
     * Saves the output to a file, streaming. If {@code target} is an existing directory, the file
     * is created in it, named after the URL's last path segment, or {@code output} with the
     * extension of its content type. Returns the file written; it appears whole or not at all.
     */
    public Path save(String output, Path target) {
        Objects.requireNonNull(target, "target");
        return open(output, (in, contentType) -> {
            Path file = Files.isDirectory(target) ? target.resolve(fileName(output, contentType)) : target;
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".segmind-", ".part");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.FileSystemException e) {
                // The local file, not the download: not retried, not a network failure.
                throw new UncheckedIOException("saving output to " + file + " failed: " + e.getMessage(), e);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        });
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

    private <T> T open(String output, MediaFetcher.Body<T> body) {
        Objects.requireNonNull(output, "output");
        String o = output.strip();
        if (InlineOutput.isUrl(o)) {
            return fetcher.fetch(o, body);
        }
        byte[] bytes = InlineOutput.decode(o);
        try {
            return body.read(new java.io.ByteArrayInputStream(bytes), InlineOutput.contentType(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
     * Releases what the downloader holds (a client's downloader: nothing; the client releases its
     * transport). Later downloads of URLs throw. Idempotent.
     */
    @Override
    public void close() {
        fetcher.close();
    }

    /** A standalone downloader's fetcher: the JDK's client, redirects followed, one attempt. */
    private static final class JdkFetcher implements MediaFetcher {
        private final Duration timeout;
        private final JdkHttpClients http;

        JdkFetcher(Duration timeout, Optional<ProxySettings> proxy) {
            this.timeout = timeout;
            this.http = new JdkHttpClients("media", HttpClient.Version.HTTP_2, timeout, HttpClient.Redirect.NORMAL, proxy);
        }

        @Override
        public <T> T fetch(String url, Body<T> body) {
            URI uri = url(url);
            // Deliberately no x-api-key here: media URLs are public and may be on any host.
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request);
            } catch (ConnectException e) {
                throw new SegmindIOException("could not connect to " + uri.getHost() + " to download output", false, null, e);
            } catch (java.io.InterruptedIOException e) {
                throw new WaitInterruptedException("(download)", new InterruptedException(e.getMessage()));
            } catch (IOException e) {
                throw new SegmindIOException("download from " + uri.getHost() + " failed: " + e.getMessage(), true, null, e);
            }
            int status = response.statusCode();
            try (InputStream in = response.body()) {
                if (status / 100 != 2) {
                    throw ErrorMapper.map(status, response.headers().map(), in.readNBytes(Route.Limits.ERROR),
                            "GET " + uri.getHost() + uri.getRawPath(), null, Instant.now());
                }
                return body.read(in, response.headers().firstValue("content-type").orElse(""));
            } catch (IOException e) {
                throw new SegmindIOException("download from " + uri.getHost() + " failed: " + e.getMessage(), true, null, e);
            }
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

        @Override
        public void close() {
            http.close();
        }
    }
}
