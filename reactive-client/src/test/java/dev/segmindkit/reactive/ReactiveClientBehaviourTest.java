package dev.segmindkit.reactive;

import dev.segmindkit.core.SegmindConfig;
import dev.segmindkit.tck.ClientAdapter;
import dev.segmindkit.tck.ClientBehaviourSuite;
import dev.segmindkit.testkit.ManualClock;

/**
 * The shared behaviour suite, run against the reactive client with BlockHound installed, through
 * {@link ReactiveClients}' adapter (the client's scheduler on the suite's {@link ManualClock}).
 */
class ReactiveClientBehaviourTest extends ClientBehaviourSuite {

    @Override
    protected ClientAdapter newClient(SegmindConfig config, ManualClock clock) {
        return new ReactiveClients().newClient(config, clock);
    }
}
