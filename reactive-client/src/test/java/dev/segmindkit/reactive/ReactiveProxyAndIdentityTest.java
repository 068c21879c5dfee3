package dev.segmindkit.reactive;

import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.tck.ProxyAndIdentitySuite;

/** The shared User-Agent and proxy suite, run against the reactive client. */
class ReactiveProxyAndIdentityTest extends ProxyAndIdentitySuite {

    @Override
    protected ClientFactory clients() {
        return new ReactiveClients();
    }

    @Override
    protected String flavour() {
        return "reactive";
    }
}
