package dev.segmindkit.reactive.internal;

import dev.segmindkit.core.CreditBalance;
import dev.segmindkit.core.InferenceResult;
import dev.segmindkit.core.JobStatus;
import dev.segmindkit.core.ModelRequest;
import dev.segmindkit.core.StatusUpdate;
import dev.segmindkit.core.SyncImage;
import dev.segmindkit.core.SyncResponse;
import dev.segmindkit.core.internal.Exchange;
import dev.segmindkit.core.internal.InlineOutput;
import dev.segmindkit.core.internal.Json;
import dev.segmindkit.core.internal.Route;
import dev.segmindkit.core.internal.Wire;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The service's endpoints as cold {@link Mono}s over the {@link Transport}: what each request
 * sends and how its answer is decoded; the routes, limits and retry rules are the core's. Jobs are
 * always addressed on the configured base URL (never on a URL the service sent back), so the key
 * only goes where it was configured to go.
 */
public final class Endpoints {
    /** A file that cannot be written, or the caller's own handler failing, is not a lost answer. */
    private static final Predicate<Throwable> LOCAL = e -> e instanceof UncheckedIOException || !(e instanceof java.io.IOException
            || e instanceof java.util.concurrent.TimeoutException || e.getClass().getName().startsWith("reactor.netty")
            || e.getClass().getName().startsWith("io.netty"));

    private final Transport transport;

    public Endpoints(Transport transport) {
        this.transport = transport;
    }

    public Transport transport() {
        return transport;
    }

    /** {@code POST /v2/<model>}: the new job's request id. Validates first; a lost answer is never re-sent. */
    public Mono<String> submit(ModelRequest request, Duration timeout) {
        return Mono.defer(() -> {
            request.validate();
            return transport.exchange(Exchange.post(Route.SUBMIT, request.model(), Json.write(request.params()), null, timeout),
                    body -> body.bytes().map(Wire::submittedRequestId));
        });
    }

    /** {@code GET /v2/requests/{id}/status}, once (with retries). */
    public Mono<StatusUpdate> status(String requestId, Instant deadline, Duration timeout) {
        return transport.exchange(Exchange.read(Route.STATUS, requestId, requestId, deadline, timeout),
                body -> body.bytes().map(bytes -> Wire.status(bytes, requestId, transport.now())));
    }

    /** {@code GET /v2/requests/{id}}, once (with retries); FAILED arrives as the 422's exception. */
    public Mono<InferenceResult> result(String requestId, Instant deadline, Duration timeout) {
        return transport.exchange(Exchange.read(Route.RESULT, requestId, requestId, deadline, timeout),
                body -> body.bytes().map(bytes -> Wire.result(bytes, requestId)));
    }

    public Mono<CreditBalance> credits(Duration timeout) {
        return transport.exchange(Exchange.read(Route.CREDITS, null, null, null, timeout), body -> body.bytes().map(Wire::credits));
    }

    /** {@code POST /upload-asset} on the asset host, with data URLs already made. */
    public Mono<List<String>> upload(List<String> dataUrls, Duration timeout) {
        return Mono.defer(() -> transport.exchange(Exchange.post(Route.UPLOAD, null, Json.write(Map.of("data_urls", dataUrls)), null, timeout),
                body -> body.bytes().map(bytes -> Wire.checkUploaded(Wire.uploadedUrls(bytes), dataUrls.size()))));
    }

    /** {@code POST /v1/<model>}, the image held in memory. */
    public Mono<SyncImage> runSync(ModelRequest request, Duration deadline) {
        return runSync(request, deadline, body -> body.bytes().map(bytes -> new SyncImage(bytes, Wire.syncResponse(body.headers(),
                bytes.length))), e -> false);
    }

    /** {@code POST /v1/<model>}, the image streamed to a file that appears whole or not at all. */
    public Mono<SyncResponse> runSync(ModelRequest request, Path target, Duration deadline) {
        return Mono.usingWhen(AsyncFiles.open(target),
                part -> runSync(request, deadline, body -> AsyncFiles.write(part, body.content().retain())
                        .map(size -> Wire.syncResponse(body.headers(), size)), LOCAL)
                        .flatMap(response -> AsyncFiles.commit(part).thenReturn(response)),
                AsyncFiles::discard);
    }

    /**
     * {@code POST /v1/<model>}, the body handed to {@code handler} as it arrives, each buffer a
     * copy the handler may keep. The {@link SyncResponse} given has the announced Content-Length
     * as its size, or -1 when the service streams without one.
     */
    public <T> Mono<T> runSync(ModelRequest request, Duration deadline, BiFunction<SyncResponse, Flux<ByteBuffer>, ? extends Publisher<T>> handler) {
        return runSync(request, deadline, body -> {
            Flux<ByteBuffer> copies = body.content().map(buf -> {
                ByteBuffer copy = ByteBuffer.allocate(buf.readableBytes());
                buf.getBytes(buf.readerIndex(), copy);
                return copy.flip();
            });
            return Flux.from(handler.apply(Wire.syncResponse(body.headers(), body.announcedLength()), copies)).take(1);
        }, LOCAL);
    }

    private <T> Mono<T> runSync(ModelRequest request, Duration deadline, Transport.Handler<T> handler, Predicate<Throwable> local) {
        return Mono.defer(() -> {
            request.validate();
            // A v1 call is the whole job, not one poll: its time-out is the deadline.
            return transport.exchange(Exchange.post(Route.RUN_SYNC, request.model(), Json.write(request.params()),
                    transport.now().plus(deadline), deadline), handler, local);
        });
    }

    /** An output as bytes: a media URL fetched without the key, or a data URI or base64 decoded. */
    public Mono<byte[]> download(String output, Duration timeout) {
        return Mono.defer(() -> {
            String o = output.strip();
            if (InlineOutput.isUrl(o)) {
                return transport.exchange(Exchange.read(Route.MEDIA, o, null, null, timeout), Transport.Body::bytes);
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
                    part -> transport.exchange(Exchange.read(Route.MEDIA, o, null, null, timeout),
                            body -> AsyncFiles.write(part, body.content().retain()), e -> e instanceof UncheckedIOException)
                            .then(AsyncFiles.commit(part)),
                    AsyncFiles::discard);
        });
    }

    /** A status for a job whose poll answered 422 FAILED, as the blocking client's {@code status()} gives it. */
    public StatusUpdate failedUpdate(String requestId, dev.segmindkit.core.InferenceFailedException e) {
        return new StatusUpdate(requestId, JobStatus.FAILED, e.metrics(), transport.now());
    }
}
