package dev.segmindkit.reactive;

import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.tck.SecretHygieneSuite;

/** The shared secret-hygiene suite, run against the reactive client. */
class ReactiveSecretHygieneTest extends SecretHygieneSuite {

    @Override
    protected ClientFactory clients() {
        return new ReactiveClients();
    }
}
