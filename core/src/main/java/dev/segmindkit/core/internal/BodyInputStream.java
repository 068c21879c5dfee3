package dev.segmindkit.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body read as a blocking stream, for {@link JdkHttp}: what {@code
 * BodySubscribers.ofInputStream()} does, except that an interrupt while waiting for the next bytes
 * ends the read with {@link InterruptedIOException} and leaves the thread's interrupt flag set.
 * The JDK 17 stream instead catches the interrupt, clears the flag and goes on waiting, so a wait
 * interrupted while a poll's body was on its way just polled on (fixed from JDK 21).
 *
 * <p>One list of buffers is requested at a time, so a slow reader holds back the connection rather
 * than filling memory. Closing the stream before its end cancels the body; the connection is then
 * not reused.
 */
public final class BodyInputStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> buffers;
    private ByteBuffer current;
    private boolean ended;

    @Override
    public CompletionStage<InputStream> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        queue.add(new Failure(failure));
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        ByteBuffer buffer = current();
        if (buffer == null) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        ByteBuffer buffer = current;
        return buffer == null ? 0 : buffer.remaining();
    }

    /** The buffer with bytes left to read, waiting for the next one; null at the end of the body. */
    private ByteBuffer current() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (closed) {
                throw new IOException("the response body is closed");
            }
            if (buffers != null && buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended) {
                return null;
            }
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                InterruptedIOException interrupted = new InterruptedIOException("interrupted while reading a response body");
                interrupted.initCause(e);
                throw interrupted;
            }
            if (closed) {
                throw new IOException("the response body is closed");
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof Failure) {
                Throwable failure = ((Failure) next).cause;
                throw failure instanceof IOException ? (IOException) failure : new IOException(failure.getMessage(), failure);
            } else {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> list = (List<ByteBuffer>) next;
                buffers = list.iterator();
                subscription.request(1);
            }
        }
        return current;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null && !ended) {
            s.cancel();
        }
        queue.clear();
        // Wakes a reader blocked in take(): closing from another thread (the watchdog, close())
        // ends a read the server stalls.
        queue.add(END);
    }

    private static final class Failure {
        final Throwable cause;

        Failure(Throwable cause) {
            this.cause = cause;
        }
    }
}
