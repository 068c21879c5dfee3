package dev.segmindkit.core.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * One request as a client describes it to the {@link Engine}: the route, its argument (a model, a
 * request id, a media URL), the JSON body of a POST, the job concerned, the deadline of the public
 * call it serves, and the time-out of each attempt.
 *
 * @param argument what fills the route's path: a model, a request id, or a media URL; null for none
 * @param body the JSON body, or null for a GET
 * @param requestId the job concerned, or null
 * @param model the model of a billed request, or null
 * @param deadline no attempt or retry wait may end after it; null for none
 * @param timeout each attempt's time-out, before the deadline caps it
 */
public record Exchange(Route route, String argument, byte[] body, String requestId, String model, Instant deadline, Duration timeout) {

    /** A GET of the route. */
    public static Exchange read(Route route, String argument, String requestId, Instant deadline, Duration timeout) {
        return new Exchange(route, argument, null, requestId, null, deadline, timeout);
    }

    /** A POST of the route with its JSON body; {@code model} names the job a billed route may start. */
    public static Exchange post(Route route, String model, byte[] body, Instant deadline, Duration timeout) {
        return new Exchange(route, model, body, null, model, deadline, timeout);
    }

    /** The path (or, for media, the URL). */
    public String path() {
        return route.path(argument);
    }

    /** How the request is named in logs, events and errors. */
    public String operation() {
        return route.describe(argument);
    }
}
