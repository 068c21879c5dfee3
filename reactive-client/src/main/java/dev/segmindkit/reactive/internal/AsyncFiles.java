package dev.segmindkit.reactive.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writing a streamed body to a file without blocking a non-blocking thread: the data goes through
 * an {@link AsynchronousFileChannel} (the kernel writes, a completion handler answers), and the
 * few metadata calls that have no asynchronous form (create, move, delete) run on Reactor's
 * bounded-elastic scheduler, which exists for exactly that.
 *
 * <p>The target appears whole or not at all: data goes to a temporary file beside it, moved into
 * place at the end; on any failure or cancellation the temporary file is deleted.
 *
 * <p><b>Threads.</b> On most platforms the JDK's asynchronous file channel writes on a thread pool;
 * left to itself it uses a JVM-wide pool of its own whose idle threads ({@code Thread-N}) outlive
 * the client by a minute. The channel here runs on the bounded-elastic scheduler instead, so the
 * client starts no thread of its own for files.
 */
public final class AsyncFiles {
    /** Buffers the writer may hold ahead of the disk: bounds memory whatever the body's size. */
    private static final int PREFETCH = 4;

    /** The channel's writes and completions, on Reactor's bounded-elastic scheduler; never shut down by us. */
    private static final ExecutorService ON_BOUNDED_ELASTIC = new AbstractExecutorService() {
        @Override
        public void execute(Runnable task) {
            Schedulers.boundedElastic().schedule(task);
        }

        @Override
        public void shutdown() {
            // shared with the application: not ours to shut down
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    };

    private AsyncFiles() {
    }

    /** A temporary file beside its target and a channel writing to it. */
    public static final class Part {
        final Path target;
        final Path tmp;
        final AsynchronousFileChannel channel;

        Part(Path target, Path tmp, AsynchronousFileChannel channel) {
            this.target = target;
            this.tmp = tmp;
            this.channel = channel;
        }
    }

    /** Opens a temporary file beside {@code target}, off the non-blocking threads. */
    public static Mono<Part> open(Path target) {
        return Mono.fromCallable(() -> {
            Path dir = target.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".segmind-", ".part");
            try {
                return new Part(target, tmp, AsynchronousFileChannel.open(tmp, Set.of(StandardOpenOption.WRITE), ON_BOUNDED_ELASTIC));
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }).subscribeOn(Schedulers.boundedElastic()).onErrorMap(IOException.class,
                e -> new UncheckedIOException("cannot create a file beside " + target + ": " + e.getMessage(), e));
    }

    /**
     * Writes the body in order, each buffer once the previous one is on disk; releases every
     * buffer. Completes with the number of bytes written.
     */
    public static Mono<Long> write(Part part, Flux<ByteBuf> retainedBody) {
        AtomicLong position = new AtomicLong();
        return retainedBody
                .concatMap(buf -> {
                    long at = position.getAndAdd(buf.readableBytes());
                    return writeFully(part.channel, buf, at);
                }, PREFETCH)
                .doOnDiscard(ByteBuf.class, Transport::release)
                .then(Mono.fromSupplier(position::get));
    }

    private static Mono<Void> writeFully(AsynchronousFileChannel channel, ByteBuf buf, long position) {
        return Mono.create(sink -> {
            ByteBuffer nio;
            try {
                nio = buf.nioBuffer();
            } catch (RuntimeException e) {
                Transport.release(buf);
                sink.error(e);
                return;
            }
            // The buffer is released only when the kernel is done with it, even if the subscriber
            // cancelled meanwhile: releasing it earlier would let Netty reuse memory still being written.
            channel.write(nio, position, position, new CompletionHandler<Integer, Long>() {
                @Override
                public void completed(Integer written, Long at) {
                    if (nio.hasRemaining()) {
                        long next = at + written;
                        try {
                            channel.write(nio, next, next, this);
                        } catch (RuntimeException e) {
                            failed(e, next);
                        }
                        return;
                    }
                    Transport.release(buf);
                    sink.success();
                }

                @Override
                public void failed(Throwable e, Long at) {
                    Transport.release(buf);
                    sink.error(e instanceof IOException ? new UncheckedIOException("writing " + e.getMessage(), (IOException) e) : e);
                }
            });
        });
    }

    /** Closes the channel and moves the temporary file into place, off the non-blocking threads. */
    public static Mono<Path> commit(Part part) {
        return Mono.fromCallable(() -> {
            part.channel.close();
            Files.move(part.tmp, part.target, StandardCopyOption.REPLACE_EXISTING);
            return part.target;
        }).subscribeOn(Schedulers.boundedElastic()).onErrorMap(IOException.class,
                e -> new UncheckedIOException("cannot move the download into " + part.target + ": " + e.getMessage(), e));
    }

    /** Closes the channel and deletes the temporary file if it is still there; never fails. */
    public static Mono<Void> discard(Part part) {
        return Mono.<Void>fromRunnable(() -> {
            try {
                part.channel.close();
            } catch (IOException ignored) {
                // closing is best effort here; the delete below is what matters
            }
            try {
                Files.deleteIfExists(part.tmp);
            } catch (IOException ignored) {
                // a temporary ".segmind-*.part" file may stay behind; nothing else to do
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
