package dev.segmindkit.core.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * How a {@link dev.segmindkit.core.MediaDownloader} fetches a media URL: each client gives its own
 * transport, so downloads have the client's retries, time source, time-outs, address guard and
 * interrupt behaviour. The body is read inside the attempt, so a stalled download is bounded and a
 * failed one retried whole.
 */
public interface MediaFetcher extends AutoCloseable {

    /** Fetches the URL (following redirects the guard allows) and reads its body with {@code body}. */
    <T> T fetch(String url, Body<T> body);

    @Override
    void close();

    /** Reads a media answer's body. */
    @FunctionalInterface
    interface Body<T> {
        T read(InputStream in, String contentType) throws IOException;
    }
}
