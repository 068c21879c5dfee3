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
    // Reactor Netty is an automatic module, which cannot say what it needs; these it loads on
    // every client (the DNS resolver), on HTTP/2 and on a proxy.
    requires io.netty.resolver.dns;
    requires io.netty.codec.http2;
    requires io.netty.handler.proxy;
    requires transitive dev.segmindkit.resilience;
    requires io.github.resilience4j.core;
    requires org.slf4j;

    exports dev.segmindkit.reactive;
}
