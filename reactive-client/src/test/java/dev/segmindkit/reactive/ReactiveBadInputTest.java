package dev.segmindkit.reactive;

import dev.segmindkit.tck.BadInputSuite;
import dev.segmindkit.tck.ClientFactory;

/** The shared bad-input suite, run against the reactive client. */
class ReactiveBadInputTest extends BadInputSuite {

    @Override
    protected ClientFactory clients() {
        return new ReactiveClients();
    }
}
