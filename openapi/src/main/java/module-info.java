/**
 * The OpenAPI spec of the Segmind API, read through {@link dev.segmindkit.openapi.SegmindSpec}.
 */
module dev.segmindkit.openapi {
    exports dev.segmindkit.openapi;
}
