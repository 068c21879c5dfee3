package dev.segmindkit.sync.internal;

import dev.segmindkit.core.internal.Route;
import feign.Request;
import feign.Response;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;

/**
 * The API's endpoints, as a Feign interface sent through {@code Feign.builder()}'s proxy. Each
 * method names its {@link Route} (read from the spec) instead of writing its path: {@link
 * RouteContract} turns the route into Feign's request template. Every method answers the raw {@link
 * Response}, so one place ({@link Transport}) bounds, maps, retries and logs every exchange.
 */
public interface SegmindApi {
    @Op(Route.SUBMIT)
    Response submit(@Arg String model, byte[] json, Request.Options options);

    @Op(Route.RUN_SYNC)
    Response runSync(@Arg String model, byte[] json, Request.Options options);

    @Op(Route.STATUS)
    Response status(@Arg String requestId, Request.Options options);

    @Op(Route.RESULT)
    Response result(@Arg String requestId, Request.Options options);

    @Op(Route.CREDITS)
    Response credits(Request.Options options);

    /** On the asset host, a target of its own. */
    @Op(Route.UPLOAD)
    Response upload(byte[] json, Request.Options options);

    /** A media URL, on whatever host it names; sent through a target that adds no key. */
    @Op(Route.MEDIA)
    Response media(URI url, Request.Options options);

    /** The route of a method. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Op {
        Route value();
    }

    /** The parameter that fills the route's one path variable. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Arg {
    }
}
