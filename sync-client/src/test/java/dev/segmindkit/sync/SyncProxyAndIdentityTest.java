package dev.segmindkit.sync;

import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.tck.ProxyAndIdentitySuite;

/** The shared User-Agent and proxy suite, run against the blocking client. */
class SyncProxyAndIdentityTest extends ProxyAndIdentitySuite {

    @Override
    protected ClientFactory clients() {
        return new SyncClients();
    }

    @Override
    protected String flavour() {
        return "blocking";
    }
}
