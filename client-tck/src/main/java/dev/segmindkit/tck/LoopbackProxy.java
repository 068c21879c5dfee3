package dev.segmindkit.tck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP proxy on a loopback port, on raw sockets, for the proxy tests of both clients. It
 * tunnels {@code CONNECT host:port} (as Reactor Netty does for every target) and forwards
 * absolute-form requests ({@code GET http://host:port/path}, as the JDK client does for plain
 * http), optionally asking for Basic credentials with a 407. It relays only to loopback targets.
 *
 * <p>The targets in these tests speak plain HTTP, so even through a tunnel the proxy can read what
 * the client sends: it records each request line and each {@code User-Agent} it sees, and the
 * first line of each connection (the {@code CONNECT} or the first forwarded request).
 */
public final class LoopbackProxy implements AutoCloseable {
    private static final Pattern REQUEST_LINE = Pattern.compile("(GET|POST|PUT|DELETE|HEAD|PATCH) \\S+ HTTP/1\\.[01]$");
    private final ServerSocket server;
    private final Optional<String> expectedAuthorization;
    private final List<String> connectionLines = new CopyOnWriteArrayList<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<String> userAgents = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();

    private LoopbackProxy(Optional<String> expectedAuthorization) {
        this.expectedAuthorization = expectedAuthorization;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("no loopback port for the proxy", e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "loopback-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A proxy that lets every client through.
     *
     * @return the started proxy
     */
    public static LoopbackProxy open() {
        return new LoopbackProxy(Optional.empty());
    }

    /**
     * A proxy that answers 407 to a connection whose first request lacks these Basic credentials.
     *
     * @param username the user name it expects
     * @param password the password it expects
     * @return the started proxy
     */
    public static LoopbackProxy requiringCredentials(String username, String password) {
        String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new LoopbackProxy(Optional.of("Basic " + token));
    }

    /**
     * The proxy's host, a loopback address.
     *
     * @return the address as text
     */
    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    /**
     * The proxy's port.
     *
     * @return the port it listens on
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * The first line of every connection a client opened: a {@code CONNECT} or a forwarded request.
     *
     * @return the lines, in order
     */
    public List<String> connectionLines() {
        return List.copyOf(connectionLines);
    }

    /**
     * Every request line relayed to a target, tunneled or forwarded.
     *
     * @return the lines, in order
     */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /**
     * Every {@code User-Agent} value relayed to a target.
     *
     * @return the values, in order
     */
    public List<String> userAgents() {
        return List.copyOf(userAgents);
    }

    /**
     * How many connections got a 407 for missing or wrong credentials.
     *
     * @return the count
     */
    public int refusedForCredentials() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(client);
            Thread t = new Thread(() -> handle(client), "loopback-proxy-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String firstLine = head.substring(0, head.indexOf("\r\n"));
            connectionLines.add(firstLine);
            if (expectedAuthorization.isPresent() && !expectedAuthorization.get().equals(header(head, "proxy-authorization"))) {
                refused.incrementAndGet();
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"loopback\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            String[] parts = firstLine.split(" ");
            boolean tunnel = parts[0].equals("CONNECT");
            InetSocketAddress target = tunnel ? authority(parts[1]) : authority(URI.create(parts[1]).getRawAuthority());
            if (!InetAddress.getByName(target.getHostString()).isLoopbackAddress()) {
                out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            try (Socket upstream = new Socket(target.getHostString(), target.getPort())) {
                sockets.add(upstream);
                upstream.setTcpNoDelay(true);
                if (tunnel) {
                    out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } else {
                    byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
                    sniff(new StringBuilder(), bytes, bytes.length);
                    upstream.getOutputStream().write(bytes);
                }
                Thread back = new Thread(() -> pump(upstream, client, false), "loopback-proxy-back");
                back.setDaemon(true);
                back.start();
                pump(client, upstream, true);
                back.join(10_000);
            }
        } catch (IOException | RuntimeException e) {
            // The client or the target went away: the test sees that through its own client.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        StringBuilder line = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (fromClient) {
                    sniff(line, buffer, n);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side closed: the other pump ends on its own.
        }
    }

    /** Records request lines and User-Agent headers from the plain HTTP the client sends. */
    private void sniff(StringBuilder line, byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            char c = (char) (bytes[i] & 0xff);
            if (c == '\n') {
                String l = line.toString().strip();
                // A body without a final newline runs into the next request line: look at the end.
                Matcher request = REQUEST_LINE.matcher(l);
                if (request.find()) {
                    requestLines.add(request.group());
                } else if (l.toLowerCase(Locale.ROOT).startsWith("user-agent:")) {
                    userAgents.add(l.substring("user-agent:".length()).strip());
                }
                line.setLength(0);
            } else if (line.length() < 4096) {
                line.append(c);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > 65536) {
                throw new IOException("request head too long");
            }
        }
        return null;
    }

    private static String header(String head, String name) {
        for (String l : head.split("\r\n")) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return l.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static InetSocketAddress authority(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return InetSocketAddress.createUnresolved(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Closing a listening socket has nothing to report.
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // Already gone.
            }
        }
    }
}
