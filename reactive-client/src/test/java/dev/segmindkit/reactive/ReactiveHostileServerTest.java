package dev.segmindkit.reactive;

import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.tck.HostileServerSuite;

/** The shared hostile-server suite, run against the reactive client. */
class ReactiveHostileServerTest extends HostileServerSuite {
    @Override
    protected ClientFactory clients() {
        return new ReactiveClients();
    }
}
