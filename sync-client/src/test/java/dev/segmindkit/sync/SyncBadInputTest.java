package dev.segmindkit.sync;

import dev.segmindkit.tck.BadInputSuite;
import dev.segmindkit.tck.ClientFactory;

/** The shared bad-input suite, run against the blocking client. */
class SyncBadInputTest extends BadInputSuite {

    @Override
    protected ClientFactory clients() {
        return new SyncClients();
    }
}
