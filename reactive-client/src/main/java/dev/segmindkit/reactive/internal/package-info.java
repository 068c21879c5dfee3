/**
 * Internals of the reactive client: transport, endpoints, polling and asynchronous files. Not an
 * API: may change in any release.
 */
package dev.segmindkit.reactive.internal;
