/**
 * The Segmind API's OpenAPI spec, the single source of the SDK's models, validation and fake
 * server: {@link dev.segmindkit.openapi.SegmindSpec} opens it.
 */
package dev.segmindkit.openapi;
