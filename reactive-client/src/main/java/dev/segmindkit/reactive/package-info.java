/**
 * The non-blocking Segmind client: {@link dev.segmindkit.reactive.ReactiveSegmindClient}, on
 * Reactor Netty, with {@code Mono} and {@code Flux} for every call. No Netty, Reactor Netty or
 * Jackson type appears in its signatures.
 */
package dev.segmindkit.reactive;
