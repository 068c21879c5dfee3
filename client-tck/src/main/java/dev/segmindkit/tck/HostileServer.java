package dev.segmindkit.tck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A scriptable HTTP/1.1 server on a raw loopback {@link ServerSocket}, for the {@link
 * HostileServerSuite}: it answers like the Segmind API until a test tells one route to misbehave
 * (stall, drip, lie about lengths, corrupt chunks, stream an endless body, echo the key, reset,
 * cut after a given byte), which a real HTTP server library would never let it do.
 *
 * <p>It records every request (method, path, headers, body) and every connection, and tells
 * whether the client hung up each connection it opened. Oversized bodies are generated while they
 * are written, never held in memory. Nothing here sleeps: a stall blocks reading the socket (so it
 * ends when the client hangs up or the server closes), a drip parks between bytes.
 */
public final class HostileServer implements AutoCloseable {
    /** A few image bytes: the start of a PNG. */
    public static final byte[] IMAGE = RecordingOrigin.IMAGE;
    /** The request id the well-behaved submit answers, unless a test scripts another. */
    public static final String JOB_ID = "7c0a8f0e-2b4d-4d39-9a59-3f1f1b0c9d11";

    /** One request as it arrived. */
    public record Request(int connection, String method, String path, Map<String, String> headers, byte[] body) {
        /** A header by its lower-case name, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The API key the client sent, or null. */
        public String apiKey() {
            return header("x-api-key");
        }

        /** A submit: a POST to a model, v1 or v2 (not an upload, not credits). */
        public boolean isSubmit() {
            return method.equals("POST") && (path.startsWith("/v2/") || path.startsWith("/v1/")) && !path.startsWith("/v1/get-user");
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How one request is answered. It may write anything, stall, or close the socket. */
    @FunctionalInterface
    public interface Responder {
        void respond(Request request, Conversation conversation) throws IOException;
    }

    /** What a responder can do with the connection a request came on. */
    public final class Conversation {
        private final Socket socket;
        private final OutputStream out;
        private final ConnectionState state;
        private boolean keepOpen = true;

        private Conversation(Socket socket, ConnectionState state) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.state = state;
        }

        public HostileServer server() {
            return HostileServer.this;
        }

        /** Writes these bytes at once and flushes. */
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            state.written.addAndGet(bytes.length);
        }

        public void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** A whole ordinary answer with a correct {@code Content-Length}; the connection stays open. */
        public void answer(int status, String contentType, byte[] body, String... extraHeaders) throws IOException {
            write(head(status, contentType, body.length, extraHeaders));
            write(body);
        }

        public void answerJson(int status, String json, String... extraHeaders) throws IOException {
            answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8), extraHeaders);
        }

        /**
         * Writes one byte every {@code interval} (parking between them), {@code bytes} in all, as
         * long as the client keeps reading; stops quietly when it hangs up.
         */
        public void drip(byte[] bytes, Duration interval) throws IOException {
            for (byte b : bytes) {
                if (server().closed) {
                    break;
                }
                out.write(b);
                out.flush();
                state.written.incrementAndGet();
                LockSupport.parkNanos(interval.toNanos());
            }
        }

        /**
         * Streams {@code prefix}, then {@code fillerLength} bytes of {@code filler} repeated, then
         * {@code suffix}, generated while written (never held whole); stops when the client hangs up.
         */
        public void stream(byte[] prefix, byte filler, long fillerLength, byte[] suffix) throws IOException {
            write(prefix);
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, filler);
            long left = fillerLength;
            while (left > 0 && !server().closed) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                state.written.addAndGet(n);
                left -= n;
            }
            write(suffix);
        }

        /** Bytes written on this connection so far. */
        public long written() {
            return state.written.get();
        }

        /**
         * Blocks until the client hangs up or the server closes: what a server does when it has
         * sent what it will send and then says nothing more.
         */
        public void stall() {
            state.stalled.countDown();
            try {
                InputStream in = socket.getInputStream();
                while (in.read() != -1) {
                    // the client sends nothing more on a stalled exchange; whatever comes is ignored
                }
            } catch (IOException e) {
                // the client reset or the server closed: the stall is over either way
            }
            close();
        }

        /** Closes the connection with a FIN. */
        public void close() {
            keepOpen = false;
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }

        /** Closes the connection with an RST ({@code SO_LINGER} 0): the client sees "connection reset". */
        public void reset() {
            keepOpen = false;
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** Answers to a connection before any HTTP is read (a TLS handshake that is not one). */
    @FunctionalInterface
    public interface ConnectionHandler {
        void handle(Socket socket) throws IOException;
    }

    private static final class ConnectionState {
        final int id;
        final Socket socket;
        final AtomicLong written = new AtomicLong();
        final CountDownLatch stalled = new CountDownLatch(1);
        volatile boolean open = true;

        ConnectionState(int id, Socket socket) {
            this.id = id;
            this.socket = socket;
        }
    }

    private record Route(Predicate<Request> matches, Responder responder, AtomicInteger timesLeft) {
    }

    private final String host;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<Integer, ConnectionState> connections = new ConcurrentHashMap<>();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final Object changes = new Object();
    private volatile ConnectionHandler rawHandler;
    private volatile boolean closed;
    private volatile String jobId = JOB_ID;

    private HostileServer(InetAddress address) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("a hostile server listens on loopback only, not " + address);
        }
        this.host = address.getHostAddress();
        try {
            listener = new ServerSocket(0, 50, address);
        } catch (IOException e) {
            throw new UncheckedIOException("no loopback port for a hostile server", e);
        }
        acceptor = new Thread(this::acceptLoop, "hostile-server-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A started server that answers like the API until told otherwise. */
    public static HostileServer start() {
        return new HostileServer(InetAddress.getLoopbackAddress());
    }

    /** A started server on another loopback address, such as 127.0.0.2 ("another internal host"). */
    public static HostileServer startOn(InetAddress loopbackAddress) {
        return new HostileServer(loopbackAddress);
    }

    /** Such as {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://" + host + ":" + port();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** A URL on this server. */
    public String url(String path) {
        return baseUrl() + path;
    }

    /** The id the well-behaved submit answers from now on. */
    public HostileServer jobId(String id) {
        this.jobId = id;
        return this;
    }

    public String jobId() {
        return jobId;
    }

    // ---- scripting ----

    /** Requests matching {@code matches} are answered by {@code responder}, always; the latest script wins. */
    public HostileServer on(Predicate<Request> matches, Responder responder) {
        routes.add(0, new Route(matches, responder, new AtomicInteger(Integer.MAX_VALUE)));
        return this;
    }

    /** As {@link #on}, for the next {@code times} matching requests only. */
    public HostileServer on(Predicate<Request> matches, int times, Responder responder) {
        routes.add(0, new Route(matches, responder, new AtomicInteger(times)));
        return this;
    }

    /** Every connection is handed to {@code handler} before any HTTP is read. */
    public HostileServer onConnection(ConnectionHandler handler) {
        this.rawHandler = handler;
        return this;
    }

    public static Predicate<Request> submits() {
        return Request::isSubmit;
    }

    public static Predicate<Request> v2Submits() {
        return r -> r.isSubmit() && r.path().startsWith("/v2/");
    }

    public static Predicate<Request> v1Submits() {
        return r -> r.isSubmit() && r.path().startsWith("/v1/");
    }

    public static Predicate<Request> statusPolls() {
        return r -> r.method().equals("GET") && r.path().startsWith("/v2/requests/") && r.path().endsWith("/status");
    }

    public static Predicate<Request> results() {
        return r -> r.method().equals("GET") && r.path().startsWith("/v2/requests/") && !r.path().endsWith("/status");
    }

    public static Predicate<Request> credits() {
        return r -> r.path().startsWith("/v1/get-user-credits");
    }

    public static Predicate<Request> media() {
        return r -> r.path().startsWith("/media/");
    }

    public static Predicate<Request> anything() {
        return r -> true;
    }

    // ---- well-behaved answers, the baseline every script departs from ----

    /** The submit answer the API gives. */
    public String submitAnswer() {
        String id = jobId;
        return "{\"request_id\":\"" + id + "\",\"status\":\"QUEUED\",\"poll_url\":\"" + url("/v1/requests/" + id)
                + "\",\"status_url\":\"" + url("/v2/requests/" + id + "/status") + "\",\"response_url\":\"" + url("/v2/requests/" + id)
                + "\"}";
    }

    /** A status answer in the given state. */
    public String statusAnswer(String status) {
        return "{\"request_id\":\"" + jobId + "\",\"status\":\"" + status + "\",\"metrics\":{}}";
    }

    /** The result of a job COMPLETED with one output on this server. */
    public String resultAnswer() {
        return "{\"status\":\"COMPLETED\",\"output\":\"" + url("/media/out.png") + "\",\"metrics\":{\"inference_time\":1.5}}";
    }

    private void wellBehaved(Request r, Conversation c) throws IOException {
        if (r.isSubmit() && r.path().startsWith("/v2/")) {
            c.answerJson(200, submitAnswer());
        } else if (r.isSubmit()) {
            c.answer(200, "image/jpeg", IMAGE, "x-cost: 0.01", "x-remaining-credits: 9.99", "x-request-id: " + jobId);
        } else if (statusPolls().test(r)) {
            c.answerJson(200, statusAnswer("COMPLETED"));
        } else if (results().test(r)) {
            c.answerJson(200, resultAnswer());
        } else if (credits().test(r)) {
            c.answerJson(200, "{\"credits\":12.5,\"free-credits\":0}");
        } else if (media().test(r)) {
            c.answer(200, "image/png", IMAGE);
        } else {
            c.answerJson(404, "{\"error\":\"no such route " + r.path() + "\"}");
        }
    }

    /** A status line and headers, ending in the blank line. */
    public static String head(int status, String contentType, long contentLength, String... extraHeaders) {
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        if (contentType != null) {
            h.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (contentLength >= 0) {
            h.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        for (String extra : extraHeaders) {
            h.append(extra).append("\r\n");
        }
        return h.append("\r\n").toString();
    }

    /** A whole answer as bytes (to cut short at a chosen byte). */
    public static byte[] wholeAnswer(int status, String contentType, byte[] body, String... extraHeaders) {
        byte[] head = head(status, contentType, body.length, extraHeaders).getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 307: return "Temporary Redirect";
            case 308: return "Permanent Redirect";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 404: return "Not Found";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            default: return "Status";
        }
    }

    // ---- what happened ----

    /** Every request received, in order of arrival. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests that match. */
    public List<Request> requests(Predicate<Request> which) {
        return requests.stream().filter(which).toList();
    }

    /** How many submits (v1 or v2 POSTs to a model) arrived. */
    public int submitCount() {
        return requests(submits()).size();
    }

    /** Bytes written to each connection so far (all of them, open or closed). */
    public List<Long> writtenPerConnection() {
        return connections.values().stream().map(s -> s.written.get()).toList();
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return connectionIds.get();
    }

    /** Connections that neither side has closed yet. */
    public int openConnections() {
        return (int) connections.values().stream().filter(s -> s.open).count();
    }

    /**
     * Waits until a request matching {@code which} has arrived, for at most {@code timeout}.
     *
     * @return whether one did
     */
    public boolean awaitRequest(Predicate<Request> which, Duration timeout) throws InterruptedException {
        return awaitCondition(() -> requests.stream().anyMatch(which), timeout, null);
    }

    /** Waits until some exchange stalls (its answer half sent), for at most {@code timeout}. */
    public boolean awaitStall(Duration timeout) throws InterruptedException {
        return awaitCondition(() -> connections.values().stream().anyMatch(s -> s.stalled.getCount() == 0), timeout, null);
    }

    /**
     * Waits until every connection accepted so far is closed (by the client hanging up, or by a
     * script), for at most {@code timeout}; {@code beforeEachRound} runs each round (a GC, say, for
     * a JDK client that closes its pool when collected).
     */
    public boolean awaitNoOpenConnections(Duration timeout, Runnable beforeEachRound) throws InterruptedException {
        return awaitCondition(() -> openConnections() == 0, timeout, beforeEachRound);
    }

    private boolean awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout, Runnable beforeEachRound)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (true) {
                if (beforeEachRound != null) {
                    beforeEachRound.run();
                }
                if (condition.getAsBoolean()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Woken by every request and every closed connection; the slice bounds a GC round.
                changes.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
        }
    }

    private void changed() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    // ---- the connection loop ----

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            int id = connectionIds.incrementAndGet();
            ConnectionState state = new ConnectionState(id, socket);
            connections.put(id, state);
            Thread handler = new Thread(() -> serve(state), "hostile-server-" + port() + "-conn-" + id);
            handler.setDaemon(true);
            handlers.add(handler);
            handler.start();
        }
    }

    private void serve(ConnectionState state) {
        Socket socket = state.socket;
        try {
            socket.setTcpNoDelay(true);
            ConnectionHandler raw = rawHandler;
            if (raw != null) {
                raw.handle(socket);
                return;
            }
            InputStream in = socket.getInputStream();
            Conversation conversation = new Conversation(socket, state);
            while (!closed && conversation.keepOpen) {
                Request request = readRequest(state.id, in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                changed();
                responderFor(request).respond(request, conversation);
            }
        } catch (IOException e) {
            // the client hung up or reset: that connection is over
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
            state.open = false;
            handlers.remove(Thread.currentThread());
            changed();
        }
    }

    private Responder responderFor(Request request) {
        for (Route route : routes) {
            if (route.matches().test(request) && route.timesLeft().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return route.responder();
            }
        }
        return this::wellBehaved;
    }

    /** The next request on the connection, or null when the client hung up between requests. */
    private static Request readRequest(int connection, InputStream in) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return null;
        }
        while (requestLine.isEmpty()) {
            requestLine = readLine(in, true);
            if (requestLine == null) {
                return null;
            }
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 2) {
            throw new IOException("not an HTTP request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
            headerBytes += line.length();
            if (headerBytes > 256 * 1024) {
                throw new IOException("request headers too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body;
        String length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in, false);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!readLine(in, false).isEmpty()) {
                        // trailers, ignored
                    }
                    break;
                }
                all.write(in.readNBytes(n));
                readLine(in, false);
            }
            body = all.toByteArray();
        } else {
            body = new byte[0];
        }
        return new Request(connection, parts[0], parts[1], Map.copyOf(headers), body);
    }

    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (eofAllowed && line.length() == 0) {
                    return null;
                }
                throw new IOException("connection ended inside a request");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
            if (line.length() > 64 * 1024) {
                throw new IOException("request line too long");
            }
        }
    }

    /** A fresh request id, for tests that need several jobs. */
    public static String newJobId() {
        return UUID.randomUUID().toString();
    }

    /** Thread names this server starts, for {@link ThreadCensus}. */
    public static boolean isServerThread(Thread t) {
        return t.getName().startsWith("hostile-server-");
    }

    /** Stops accepting, closes every connection (ending stalls and drips) and waits for its threads. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        for (ConnectionState s : connections.values()) {
            try {
                s.socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
        List<Thread> all = new ArrayList<>(handlers);
        all.add(acceptor);
        for (Thread t : all) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "HostileServer{" + baseUrl() + ", requests=" + requests.size() + ", connections=" + connectionIds.get() + '}';
    }
}
