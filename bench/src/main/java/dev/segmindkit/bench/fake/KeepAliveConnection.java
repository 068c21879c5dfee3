package dev.segmindkit.bench.fake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection that sends a fixed request and reads whole answers: the
 * lightest client there is, so a throughput figure is about the server, not the client. Reads
 * Content-Length and chunked bodies; throws {@link IOException} on anything else, or when the
 * server closes the connection.
 */
final class KeepAliveConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;

    KeepAliveConnection(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The bytes of a GET with these headers, ready to send again and again. */
    static byte[] get(int port, String path, String... headerLines) {
        StringBuilder s = new StringBuilder(256).append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (String h : headerLines) {
            s.append(h).append("\r\n");
        }
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The bytes of a POST of a JSON body. */
    static byte[] postJson(int port, String path, String json, String... headerLines) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder s = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        for (String h : headerLines) {
            s.append(h).append("\r\n");
        }
        byte[] head = s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Sends the request and reads the whole answer. */
    Answer exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = line();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String h = line(); ; h = line()) {
            if (h == null) {
                throw new IOException("connection closed inside the headers");
            }
            if (h.isEmpty()) {
                break;
            }
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                throw new IOException("the server closes the connection: not a keep-alive benchmark");
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                all.writeBytes(bytes(size));
                line();
            }
            line();
            body = all.toByteArray();
        } else if (length >= 0) {
            body = bytes((int) length);
        } else {
            throw new IOException("an answer without Content-Length or chunking");
        }
        return new Answer(status, body);
    }

    /** A status code and body. */
    static final class Answer {
        final int status;
        final byte[] body;

        Answer(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        while (true) {
            if (position == limit && !fill()) {
                return s.length() == 0 ? null : s.toString();
            }
            int c = buffer[position++] & 0xFF;
            if (c == '\n') {
                int n = s.length();
                return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
            }
            s.append((char) c);
        }
    }

    private byte[] bytes(int n) throws IOException {
        byte[] b = new byte[n];
        int done = 0;
        while (done < n) {
            if (position == limit && !fill()) {
                throw new IOException("connection closed inside a body");
            }
            int take = Math.min(n - done, limit - position);
            System.arraycopy(buffer, position, b, done, take);
            position += take;
            done += take;
        }
        return b;
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
