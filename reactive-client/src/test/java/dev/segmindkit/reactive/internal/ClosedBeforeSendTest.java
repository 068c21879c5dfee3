package dev.segmindkit.reactive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;

/**
 * Which of Reactor Netty's connection failures prove a request was never written: only its
 * "closed BEFORE send operation"; a reset or broken pipe may come after the request went out.
 */
class ClosedBeforeSendTest {
    @Test
    void onlyReactorNettysClosedBeforeSendProvesNothingWasWritten() {
        assertThat(Transport.closedBeforeSend(AbortedException.beforeSend())).isTrue();
        assertThat(Transport.closedBeforeSend(new AbortedException("Connection reset by peer"))).isFalse();
        assertThat(Transport.closedBeforeSend(new AbortedException("Broken pipe"))).isFalse();
        assertThat(Transport.closedBeforeSend(new IOException("Connection has been closed BEFORE send operation"))).isFalse();
    }
}
