package dev.segmindkit.sync;

import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.tck.SecretHygieneSuite;

/** The shared secret-hygiene suite, run against the blocking client. */
class SyncSecretHygieneTest extends SecretHygieneSuite {

    @Override
    protected ClientFactory clients() {
        return new SyncClients();
    }
}
