package dev.segmindkit.sync.internal;

import feign.Headers;
import feign.Param;
import feign.Request;
import feign.RequestLine;
import feign.Response;

/**
 * The API's endpoints. Every method answers the raw {@link Response} so one place ({@link
 * Transport}) maps statuses to exceptions, retries, logs and streams bodies. {@link DirectApi}
 * writes them out by hand over Feign's client (Feign's proxy re-resolved its templates on every
 * call: see DirectApi); the annotations still say what each request is, for readers and for a
 * {@code Feign.builder().target(...)} should one be wanted.
 */
public interface SegmindApi {
    @RequestLine("POST /v2/{model}")
    @Headers({"Content-Type: application/json", "Accept: application/json"})
    Response submit(@Param("model") String model, Object body, Request.Options options);

    @RequestLine("POST /v1/{model}")
    @Headers({"Content-Type: application/json", "Accept: image/*, */*"})
    Response runSync(@Param("model") String model, Object body, Request.Options options);

    @RequestLine("GET /v2/requests/{id}/status")
    @Headers("Accept: application/json")
    Response status(@Param("id") String requestId, Request.Options options);

    @RequestLine("GET /v2/requests/{id}")
    @Headers("Accept: application/json")
    Response result(@Param("id") String requestId, Request.Options options);

    @RequestLine("GET /v1/get-user-credits")
    @Headers("Accept: application/json")
    Response credits(Request.Options options);

    /** On the asset host, a target of its own. */
    @RequestLine("POST /upload-asset")
    @Headers({"Content-Type: application/json", "Accept: application/json"})
    Response upload(Object body, Request.Options options);
}
