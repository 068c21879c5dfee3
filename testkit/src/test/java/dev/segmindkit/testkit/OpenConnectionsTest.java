package dev.segmindkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The server counts the client connections it holds open, so a test can prove a client it closed
 * left none behind; and it restarts on the port it had, for clients that must survive a restart.
 */
class OpenConnectionsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void countsAKeptAliveConnectionUntilTheClientClosesIt() throws Exception {
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Tenant tenant = server.newTenant();
            assertThat(server.openConnections()).isZero();

            Socket first = new Socket(server.baseUrl().getHost(), server.port());
            Socket second = new Socket(server.baseUrl().getHost(), server.port());
            // An answer proves the server accepted the connection; keep-alive leaves it open.
            assertThat(credits(first, tenant)).startsWith("HTTP/1.1 200");
            assertThat(credits(second, tenant)).startsWith("HTTP/1.1 200");
            assertThat(server.openConnections()).isEqualTo(2);

            first.close();
            assertThat(server.awaitOpenConnections(1, PATIENCE)).isTrue();
            assertThat(server.openConnections()).isEqualTo(1);

            second.close();
            assertThat(server.awaitOpenConnections(0, PATIENCE)).isTrue();
            assertThat(server.openConnections()).isZero();
        }
    }

    @Test
    void awaitingGivesUpWhileAConnectionStaysOpen() throws Exception {
        try (FakeSegmindServer server = FakeSegmindServer.start(); Socket held = new Socket(server.baseUrl().getHost(), server.port())) {
            assertThat(credits(held, server.newTenant())).startsWith("HTTP/1.1 200");

            assertThat(server.awaitOpenConnections(0, Duration.ofMillis(50))).isFalse();
            assertThat(server.openConnections()).isEqualTo(1);
            assertThatThrownBy(() -> server.awaitOpenConnections(-1, PATIENCE)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closingTheServerDropsItsConnectionsAndANewServerTakesTheSamePort() throws Exception {
        FakeSegmindServer server = startBelowEphemeralPorts();
        int port = server.port();
        Tenant tenant = server.newTenant();
        try (Socket held = new Socket(server.baseUrl().getHost(), port)) {
            assertThat(credits(held, tenant)).startsWith("HTTP/1.1 200");
            server.close();

            assertThat(server.openConnections()).isZero();
            assertThat(held.getInputStream().read()).as("the old connection is closed").isEqualTo(-1);
        }

        try (FakeSegmindServer again = FakeSegmindServer.builder().port(port).start();
                Socket fresh = new Socket(again.baseUrl().getHost(), port)) {
            Tenant same = again.newTenant(tenant.apiKey());
            assertThat(again.baseUrl()).isEqualTo(server.baseUrl());
            assertThat(credits(fresh, same)).startsWith("HTTP/1.1 200");
        }
    }

    /**
     * A server on a port below the ephemeral range (32768 and up on Linux): a port freed there could
     * be handed at once to another test's {@code bind(0)} or outgoing connection, and the restart
     * would find it taken.
     */
    static FakeSegmindServer startBelowEphemeralPorts() {
        java.util.Random random = new java.util.Random();
        RuntimeException last = null;
        for (int i = 0; i < 20; i++) {
            try {
                return FakeSegmindServer.builder().port(20_000 + random.nextInt(12_000)).start();
            } catch (java.io.UncheckedIOException taken) {
                last = taken;
            }
        }
        throw last;
    }

    /** One keep-alive credits request on a raw socket; the whole answer as text. */
    private static String credits(Socket socket, Tenant tenant) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/get-user-credits HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + tenant.apiKey() + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed inside the answer: " + head);
            }
            head.append((char) c);
        }
        String lengthLine = head.toString().lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15)).findFirst().orElseThrow();
        byte[] body = in.readNBytes(Integer.parseInt(lengthLine.substring(15).trim()));
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
