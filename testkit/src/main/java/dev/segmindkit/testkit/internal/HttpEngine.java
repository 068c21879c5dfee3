package dev.segmindkit.testkit.internal;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on a plain {@link ServerSocket}: keep-alive, Content-Length and chunked
 * request bodies, {@code Expect: 100-continue}, one thread per connection from a daemon pool.
 *
 * <p>Hand-written rather than the JDK's {@code com.sun.net.httpserver} because faults need what
 * that server hides: resetting a connection without an answer, or sending a Content-Length and
 * then closing halfway through the body. {@code TCP_NODELAY} is set on every accepted socket:
 * without it small answers wait for the peer's delayed ACK, about 40 ms each.
 */
public final class HttpEngine implements AutoCloseable {
    /** Handles one request; runs on the connection's thread and may block (delays). */
    public interface Handler {
        HttpResponse handle(HttpRequest request);
    }

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;
    /** Data-URI uploads of large images are legitimate; anything beyond this is a runaway client. */
    private static final int MAX_BODY = 128 * 1024 * 1024;
    /** An idle keep-alive connection is closed after this, so forgotten clients do not pin threads. */
    private static final int IDLE_TIMEOUT_MILLIS = 120_000;
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final ServerSocket serverSocket;
    private final Handler handler;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Notified whenever a connection leaves {@link #open}. */
    private final Object openShrank = new Object();
    private final Thread acceptor;
    private volatile boolean closed;

    private HttpEngine(ServerSocket serverSocket, Handler handler) {
        this.serverSocket = serverSocket;
        this.handler = handler;
        int id = SERVERS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "segmind-fake-" + id + "-conn-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.connections = Executors.newCachedThreadPool(factory);
        this.acceptor = new Thread(this::acceptLoop, "segmind-fake-" + id + "-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds and starts accepting.
     *
     * @param port a port, or 0 for a free one
     * @throws IOException if the address cannot be bound
     */
    public static HttpEngine start(InetAddress address, int port, Handler handler) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 256);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        HttpEngine engine = new HttpEngine(socket, handler);
        engine.acceptor.start();
        return engine;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public InetAddress address() {
        return serverSocket.getInetAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            open.add(socket);
            try {
                connections.execute(() -> serve(socket));
            } catch (RuntimeException rejected) {
                forget(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            Input in = new Input(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (!closed) {
                Parsed parsed;
                try {
                    parsed = read(in, out);
                } catch (BadRequest e) {
                    writeResponse(out, HttpResponse.of(e.status, "text/plain; charset=utf-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8)), false, false);
                    out.flush();
                    return;
                }
                if (parsed == null) {
                    return;
                }
                HttpResponse response;
                try {
                    response = handler.handle(parsed.request);
                } catch (RuntimeException e) {
                    response = HttpResponse.json(500, "{\"error\":\"fake server bug: " + jsonEscape(String.valueOf(e)) + "\"}");
                }
                if (response.delivery() == HttpResponse.Delivery.RESET) {
                    reset(socket);
                    return;
                }
                boolean head = parsed.request.method().equals("HEAD");
                if (response.delivery() == HttpResponse.Delivery.TRUNCATED) {
                    writeTruncated(out, response);
                    out.flush();
                    socket.shutdownOutput();
                    return;
                }
                writeResponse(out, response, parsed.keepAlive, head);
                out.flush();
                if (!parsed.keepAlive) {
                    return;
                }
            }
        } catch (SocketTimeoutException | SocketException e) {
            // idle timeout, or the client went away: nothing to answer
        } catch (IOException e) {
            // the client went away mid-request
        } finally {
            closeQuietly(socket);
            forget(socket);
        }
    }

    private void forget(Socket socket) {
        open.remove(socket);
        synchronized (openShrank) {
            openShrank.notifyAll();
        }
    }

    /** Connections accepted and not yet closed (by either side). */
    public int openConnections() {
        return open.size();
    }

    /**
     * Waits until at most {@code max} connections are open, for at most {@code timeout}.
     *
     * @return false if more were still open when the time was up
     */
    public boolean awaitOpenConnections(int max, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (openShrank) {
            while (open.size() > max) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(openShrank, left);
            }
        }
        return true;
    }

    private static final class Parsed {
        final HttpRequest request;
        final boolean keepAlive;

        Parsed(HttpRequest request, boolean keepAlive) {
            this.request = request;
            this.keepAlive = keepAlive;
        }
    }

    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Reads one request; null at a clean end of stream between requests. */
    private static Parsed read(Input in, OutputStream out) throws IOException, BadRequest {
        String line = readLine(in);
        while (line != null && line.isEmpty()) {
            line = readLine(in); // tolerate stray CRLFs between requests
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "malformed request line");
        }
        String method = parts[0];
        String target = parts[1];
        boolean http10 = parts[2].equals("HTTP/1.0");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            String h = readLine(in);
            if (h == null) {
                throw new IOException("connection closed inside the headers");
            }
            if (h.isEmpty()) {
                break;
            }
            if (i >= MAX_HEADERS) {
                throw new BadRequest(431, "too many headers");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "malformed header line");
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        byte[] body;
        String transferEncoding = headers.get("transfer-encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked(in);
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length").trim());
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "malformed Content-Length");
            }
            if (length < 0) {
                throw new BadRequest(400, "malformed Content-Length");
            }
            if (length > MAX_BODY) {
                throw new BadRequest(413, "request body larger than " + MAX_BODY + " bytes");
            }
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IOException("connection closed inside the body");
            }
        } else {
            body = new byte[0];
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (path.startsWith("http://") || path.startsWith("https://")) {
            // absolute-form request target (sent through proxies): keep the path only
            int slash = path.indexOf('/', path.indexOf("//") + 2);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        return new Parsed(new HttpRequest(method, path, query, headers, body), keepAlive);
    }

    private static byte[] readChunked(Input in) throws IOException, BadRequest {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "malformed chunk size");
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY) {
                throw new BadRequest(413, "request body larger than " + MAX_BODY + " bytes");
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine(in);
                } while (trailer != null && !trailer.isEmpty());
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new IOException("connection closed inside a chunk");
            }
            body.writeBytes(chunk);
            readLine(in);
        }
    }

    /** A line without its CRLF (a bare LF is accepted); null at end of stream before any byte. */
    private static String readLine(Input in) throws IOException, BadRequest {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new BadRequest(431, "request line or header too long");
            }
            line.append((char) c);
        }
        if (line.length() == 0) {
            return null;
        }
        throw new IOException("connection closed inside a line");
    }

    private static void writeResponse(OutputStream out, HttpResponse response, boolean keepAlive, boolean head) throws IOException {
        out.write(head(response, response.body().length, keepAlive));
        if (!head) {
            out.write(response.body());
        }
    }

    private static void writeTruncated(OutputStream out, HttpResponse response) throws IOException {
        byte[] body = response.body();
        out.write(head(response, body.length, false));
        out.write(body, 0, body.length / 2);
    }

    private static byte[] head(HttpResponse response, int contentLength, boolean keepAlive) {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n");
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Length: ").append(contentLength).append("\r\n");
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 408: return "Request Timeout";
            case 410: return "Gone";
            case 413: return "Payload Too Large";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Status " + status;
        }
    }

    /** An abortive close: the client sees a reset, not a clean end of stream. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already gone: closing is all that is left
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Buffered reading without the per-byte locking of {@code BufferedInputStream}: the request line
     * and headers are read byte by byte, and a status poll is mostly headers.
     */
    private static final class Input {
        private final InputStream in;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;

        Input(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xFF;
        }

        byte[] readNBytes(int n) throws IOException {
            byte[] out = new byte[n];
            int done = Math.min(n, limit - position);
            System.arraycopy(buffer, position, out, 0, done);
            position += done;
            while (done < n) {
                int r = in.read(out, done, n - done);
                if (r < 0) {
                    return java.util.Arrays.copyOf(out, done);
                }
                done += r;
            }
            return out;
        }

        private boolean fill() throws IOException {
            int r = in.read(buffer, 0, buffer.length);
            if (r <= 0) {
                return false;
            }
            position = 0;
            limit = r;
            return true;
        }
    }

    /** Stops accepting, closes every open connection and ends the worker threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        for (Socket socket : open) {
            closeQuietly(socket);
            forget(socket);
        }
        connections.shutdownNow();
        // A socket closed while a thread is blocked in accept() is released only once that thread
        // wakes: wait for it, so the port is free again (for a restart on it) when close returns.
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
