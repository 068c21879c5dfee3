package dev.segmindkit.sync;

import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.tck.ClientAdapter;
import dev.segmindkit.tck.ClientBehaviourSuite;
import dev.segmindkit.testkit.ManualClock;

/** The shared behaviour suite, run against the blocking client. */
class SyncClientBehaviourTest extends ClientBehaviourSuite {

    @Override
    protected ClientAdapter newClient(SegmindConfig config, ManualClock clock) {
        return new SyncClients().newClient(config, clock);
    }
}
