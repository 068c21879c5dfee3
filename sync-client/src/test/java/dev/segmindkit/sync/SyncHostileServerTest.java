package dev.segmindkit.sync;

import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.tck.HostileServerSuite;

/** The shared hostile-server suite, run against the blocking client. */
class SyncHostileServerTest extends HostileServerSuite {
    @Override
    protected ClientFactory clients() {
        return new SyncClients();
    }
}
