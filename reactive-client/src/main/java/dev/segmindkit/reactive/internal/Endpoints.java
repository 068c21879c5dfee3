package dev.segmindkit.reactive.internal;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.SegmindIOException;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SubmitOutcomeUnknownException;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.core.internal.HttpHeaders;
import dev.segmindkit.core.internal.InlineOutput;
import dev.segmindkit.core.internal.Json;
import dev.segmindkit.core.internal.Redaction;
import dev.segmindkit.core.internal.Wire;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The service's endpoints as cold {@link Mono}s over the {@link Transport}: what each request
 * sends, how its answer is decoded, and which retry rules apply. Jobs are always addressed on the
 * configured base URL (never on a URL the service sent back), so the key only goes where it was
 * configured to go.
 */
public final class Endpoints {
    private static final Logger LOG = LoggerFactory.getLogger("dev.segmindkit.reactive");

    private final Transport transport;
    private final String apiKey;

    public Endpoints(Transport transport, String apiKey) {
        this.transport = transport;
        this.apiKey = apiKey;
    }

    public Transport transport() {
        return transport;
    }

    /** {@code POST /v2/<model>}: the new job's request id. Validates first; a lost answer is never re-sent. */
    public Mono<String> submit(ModelRequest request, Duration timeout) {
        return Mono.defer(() -> {
            request.validate();
            String path = "/v2/" + request.model();
            byte[] body = body(path, request.params());
            return billed(request.model(), transport.exchange(Transport.Call.submit(Transport.Host.API, path, body, timeout,
                    (headers, content) -> Transport.whole(content).map(Wire::submittedRequestId))));
        });
    }

    /** {@code GET /v2/requests/{id}/status}, once (with retries). */
    public Mono<StatusUpdate> status(String requestId, Instant deadline, Duration timeout) {
        return transport.exchange(Transport.Call.read(Transport.Host.API, "/v2/requests/" + requestId + "/status", requestId, timeout,
                (headers, content) -> Transport.whole(content).map(body -> Wire.status(body, requestId, transport.now())))
                .deadline(deadline));
    }

    /** {@code GET /v2/requests/{id}}, once (with retries); FAILED arrives as the 422's exception. */
    public Mono<InferenceResult> result(String requestId, Duration timeout) {
        return transport.exchange(Transport.Call.read(Transport.Host.API, "/v2/requests/" + requestId, requestId, timeout,
                (headers, content) -> Transport.whole(content).map(body -> Wire.result(body, requestId))));
    }

    public Mono<CreditBalance> credits(Duration timeout) {
        return transport.exchange(Transport.Call.read(Transport.Host.API, "/v1/get-user-credits", null, timeout,
                (headers, content) -> Transport.whole(content).map(Wire::credits)));
    }

    /** {@code POST /upload-asset} on the asset host, with data URLs already made. */
    public Mono<List<String>> upload(List<String> dataUrls, Duration timeout) {
        return Mono.defer(() -> {
            byte[] body = body("/upload-asset", Map.of("data_urls", dataUrls));
            return transport.exchange(Transport.Call.submit(Transport.Host.UPLOAD, "/upload-asset", body, timeout,
                    (headers, content) -> Transport.whole(content).map(Wire::uploadedUrls)))
                    .map(urls -> {
                        if (urls.size() != dataUrls.size()) {
                            throw new SegmindIOException("the upload answered " + urls.size() + " URLs for " + dataUrls.size()
                                    + " files", true, null, null);
                        }
                        return urls;
                    });
        });
    }

    /** {@code POST /v1/<model>}, the image held in memory. */
    public Mono<SyncImage> runSync(ModelRequest request, Duration timeout) {
        return runSync(request, timeout, (headers, content) -> Transport.whole(content)
                .map(bytes -> new SyncImage(bytes, Wire.syncResponse(headers, bytes.length))), false);
    }

    /** {@code POST /v1/<model>}, the image streamed to a file that appears whole or not at all. */
    public Mono<SyncResponse> runSync(ModelRequest request, Path target, Duration timeout) {
        return Mono.usingWhen(AsyncFiles.open(target),
                part -> runSync(request, timeout, (headers, content) -> AsyncFiles.write(part, content.retain())
                        .map(size -> Wire.syncResponse(headers, size)), true)
                        .flatMap(response -> AsyncFiles.commit(part).thenReturn(response)),
                AsyncFiles::discard);
    }

    /**
     * {@code POST /v1/<model>}, the body handed to {@code handler} as it arrives, each buffer a
     * copy the handler may keep. The {@link SyncResponse} given has the announced Content-Length
     * as its size, or -1 when the service streams without one.
     */
    public <T> Mono<T> runSync(ModelRequest request, Duration timeout,
            BiFunction<SyncResponse, Flux<ByteBuffer>, ? extends Publisher<T>> handler) {
        return runSync(request, timeout, (headers, content) -> {
            long announced = HttpHeaders.firstLong(headers, "content-length").orElse(-1L);
            Flux<ByteBuffer> copies = content.map(buf -> {
                ByteBuffer copy = ByteBuffer.allocate(buf.readableBytes());
                buf.getBytes(buf.readerIndex(), copy);
                return copy.flip();
            });
            return Flux.from(handler.apply(Wire.syncResponse(headers, announced), copies)).take(1);
        }, true);
    }

    private <T> Mono<T> runSync(ModelRequest request, Duration timeout, Transport.Handler<T> handler, boolean handlerFailuresAreLocal) {
        return Mono.defer(() -> {
            request.validate();
            String path = "/v1/" + request.model();
            byte[] body = body(path, request.params());
            Transport.Call<T> call = Transport.Call.submit(Transport.Host.API, path, body, timeout, handler).accept("image/*, */*");
            if (handlerFailuresAreLocal) {
                // A file that cannot be written, or the caller's own handler failing, is not a lost answer.
                call = call.passThrough(e -> e instanceof UncheckedIOException || !(e instanceof java.io.IOException
                        || e instanceof java.util.concurrent.TimeoutException || e.getClass().getName().startsWith("reactor.netty")
                        || e.getClass().getName().startsWith("io.netty")));
            }
            return billed(request.model(), transport.exchange(call));
        });
    }

    /** An output as bytes: a media URL fetched without the key, or a data URI or base64 decoded. */
    public Mono<byte[]> download(String output, Duration timeout) {
        return Mono.defer(() -> {
            String o = output.strip();
            if (InlineOutput.isUrl(o)) {
                return transport.exchange(Transport.Call.read(Transport.Host.MEDIA, o, null, timeout,
                        (headers, content) -> Transport.whole(content)));
            }
            return Mono.just(InlineOutput.decode(o));
        });
    }

    /** An output saved to a file, streamed; the file appears whole or not at all. */
    public Mono<Path> download(String output, Path target, Duration timeout) {
        return Mono.defer(() -> {
            String o = output.strip();
            if (!InlineOutput.isUrl(o)) {
                byte[] bytes = InlineOutput.decode(o);
                return Mono.usingWhen(AsyncFiles.open(target),
                        part -> AsyncFiles.write(part, Flux.just(io.netty.buffer.Unpooled.wrappedBuffer(bytes)))
                                .then(AsyncFiles.commit(part)),
                        AsyncFiles::discard);
            }
            return Mono.usingWhen(AsyncFiles.open(target),
                    part -> transport.exchange(Transport.Call.read(Transport.Host.MEDIA, o, null, timeout,
                            (headers, content) -> AsyncFiles.write(part, content.retain()))
                            .passThrough(e -> e instanceof UncheckedIOException))
                            .then(AsyncFiles.commit(part)),
                    AsyncFiles::discard);
        });
    }

    /** A status for a job whose poll answered 422 FAILED, as the blocking client's {@code status()} gives it. */
    public StatusUpdate failedUpdate(String requestId, dev.segmindkit.core.InferenceFailedException e) {
        return new StatusUpdate(requestId, JobStatus.FAILED, e.metrics(), transport.now());
    }

    private byte[] body(String path, Object params) {
        byte[] body = Json.write(params);
        if (LOG.isDebugEnabled()) {
            LOG.debug("POST {} {}", path, Redaction.redact(new String(body, StandardCharsets.UTF_8), apiKey));
        }
        return body;
    }

    /** A billed request whose answer was lost after sending becomes {@link SubmitOutcomeUnknownException}. */
    private static <T> Mono<T> billed(String model, Mono<T> call) {
        return call.onErrorMap(e -> e instanceof SegmindIOException && ((SegmindIOException) e).requestSent(),
                e -> new SubmitOutcomeUnknownException(model, e));
    }
}
