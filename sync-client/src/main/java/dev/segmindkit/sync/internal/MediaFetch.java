package dev.segmindkit.sync.internal;

import dev.segmindkit.core.internal.Exchange;
import dev.segmindkit.core.internal.HttpHeaders;
import dev.segmindkit.core.internal.MalformedResponseException;
import dev.segmindkit.core.internal.MediaFetcher;
import dev.segmindkit.core.internal.MediaGuard;
import dev.segmindkit.core.internal.Route;
import java.net.URI;
import java.time.Duration;

/**
 * Media downloads over the client's own {@link Transport}: retried like any read, bounded by an
 * idle time-out, never with the key, each redirect hop checked by the address guard.
 */
public final class MediaFetch implements MediaFetcher {

    private final Transport transport;
    private final Duration idleTimeout;

    public MediaFetch(Transport transport, Duration idleTimeout) {
        this.transport = transport;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public <T> T fetch(String url, Body<T> body) {
        String current = url.strip();
        for (int hop = 0; hop <= MediaGuard.MAX_REDIRECTS; hop++) {
            String from = current;
            Object answer = transport.exchange(Exchange.read(Route.MEDIA, from, null, null, idleTimeout), (b, headers) -> {
                if (b.status() / 100 == 3) {
                    return new Redirect(resolve(from, HttpHeaders.first(headers, "location").orElseThrow()));
                }
                return body.read(b.stream(), HttpHeaders.first(headers, "content-type").orElse(""));
            });
            if (!(answer instanceof Redirect)) {
                @SuppressWarnings("unchecked")
                T value = (T) answer;
                return value;
            }
            current = ((Redirect) answer).location;
        }
        throw new MalformedResponseException("the media download was redirected more than " + MediaGuard.MAX_REDIRECTS + " times");
    }

    /** A Location against the URL it came from; one that is not a URL is a malformed answer. */
    static String resolve(String from, String location) {
        try {
            return URI.create(from).resolve(location.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException("the media redirect's Location is not a URL", e);
        }
    }

    @Override
    public void close() {
        // The transport is the client's, closed with it.
    }

    private static final class Redirect {
        final String location;

        Redirect(String location) {
            this.location = location;
        }
    }
}
