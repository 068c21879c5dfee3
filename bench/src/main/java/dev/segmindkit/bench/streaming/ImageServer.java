package dev.segmindkit.bench.streaming;

import dev.segmindkit.testkit.FakeSegmindServer;
import dev.segmindkit.testkit.JobScript;
import dev.segmindkit.testkit.Tenant;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;

/**
 * The fake that serves the 20 MB image, in a process of its own so its copy of the image never
 * lands on the heap being measured: {@code ImageServer <megabytes>} starts a fake whose tenant's
 * v1 style-transfer runs all answer the same image at once (random bytes behind a PNG signature,
 * as in the client TCK's 20 MB test), prints {@code READY <baseUrl> <apiKey> <bytes>} and serves
 * until its standard input closes.
 */
public final class ImageServer {
    private ImageServer() {
    }

    /** The image served: deterministic, incompressible, and recognised as PNG by the fake. */
    static byte[] image(int bytes) {
        byte[] image = new byte[bytes];
        new Random(1).nextBytes(image);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 0, image, 0, 4);
        return image;
    }

    public static void main(String[] args) throws IOException {
        int bytes = Integer.parseInt(args[0]) * 1024 * 1024;
        try (FakeSegmindServer server = FakeSegmindServer.start()) {
            Tenant tenant = server.newTenant().timeline(Duration.ZERO, Duration.ZERO).credits(1e9);
            tenant.scriptNext("style-transfer", 10_000, JobScript.completes().withImages(image(bytes)));
            System.out.println("READY " + server.baseUrl() + " " + tenant.apiKey() + " " + bytes);
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our standard input (or dies)
            }
        }
    }
}
