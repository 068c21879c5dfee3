package dev.segmindkit.core.internal;

import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;

/** Releasing a {@code java.net.http} client the SDK built on an executor of its own. */
public final class JdkHttpClients {
    private JdkHttpClients() {
    }

    /**
     * Closes {@code client} where the JDK can (21 and later: exchanges under way finish, then its
     * selector thread ends and its connections close; on 17 to 20 they close once the client is
     * collected) and shuts {@code executor} down, which ends the client's threads. Best effort:
     * never throws.
     */
    public static void close(HttpClient client, ExecutorService executor) {
        if (client instanceof AutoCloseable) {
            try {
                ((AutoCloseable) client).close();
            } catch (Exception e) {
                // best effort: the executor below still ends the threads
            }
        }
        executor.shutdown();
    }
}
