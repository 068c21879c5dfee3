/**
 * The non-blocking Segmind client, {@link dev.segmindkit.reactive.ReactiveSegmindClient}: {@code
 * Mono} and {@code Flux} on Reactor Netty.
 */
module dev.segmindkit.reactive {
    requires transitive dev.segmindkit.core;
    // Mono, Flux, schedulers, and the user's Reactor Netty connection and loop resources.
    requires transitive reactor.core;
    requires transitive reactor.netty.core;
    requires transitive org.reactivestreams;
    requires reactor.netty.http;
    requires io.netty.buffer;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.core;
    requires org.slf4j;

    exports dev.segmindkit.reactive;
}
