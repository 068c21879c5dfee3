package dev.segmindkit.tck;

import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.testkit.ManualClock;

/**
 * How a client module makes its clients for the shared suites: wrapped in a {@link ClientAdapter}
 * from a whole config, or built through the client's own builder from the parts a user sets, so
 * that the builder's own refusals (no key, a bad base URL) are what is tested.
 */
public interface ClientFactory {

    /** A client for this config, its time driven by {@code clock}; the caller closes it. */
    ClientAdapter newClient(SegmindConfig config, ManualClock clock);

    /**
     * A client on real time, for the {@link HostileServerSuite}: the config's own time source
     * (real time there) and, for the reactive client, its default scheduler; nothing drives a
     * virtual clock, so the client's time-outs and deadlines run as a user's would. The caller
     * closes it.
     */
    ClientAdapter newRealTimeClient(SegmindConfig config);

    /**
     * A client built through the client's builder with {@code apiKey(...)} and {@code
     * baseUrl(...)} called only for the arguments that are not null; whatever the builder throws
     * escapes as it is. The caller closes the client.
     */
    AutoCloseable buildWith(String apiKey, String baseUrl);
}
