package dev.segmindkit.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI spec of the Segmind API that this SDK is built from, as shipped in this artifact.
 *
 * <p>The spec files are resources of the module {@code dev.segmindkit.openapi}. A resource in a
 * named module's package is encapsulated: another module cannot read it by name, so a {@code
 * getResourceAsStream} from core would find nothing on the module path. This class lives in the
 * same module and opens the files for everyone, on the class path and the module path alike.
 */
public final class SegmindSpec {
    /** The resource path of the spec's JSON form, the one the SDK reads at run time. */
    public static final String JSON_RESOURCE = "/dev/segmindkit/openapi/segmind.json";
    /** The resource path of the hand-written YAML spec, the source of the JSON form. */
    public static final String YAML_RESOURCE = "/dev/segmindkit/openapi/segmind.yaml";

    private SegmindSpec() {
    }

    /**
     * Opens the spec's JSON form. The caller closes the stream.
     *
     * @return a new stream over {@code segmind.json}
     * @throws UncheckedIOException if the resource is missing, which means a damaged jar
     */
    public static InputStream openJson() {
        return open(JSON_RESOURCE);
    }

    /**
     * Opens the hand-written YAML spec. The caller closes the stream.
     *
     * @return a new stream over {@code segmind.yaml}
     * @throws UncheckedIOException if the resource is missing, which means a damaged jar
     */
    public static InputStream openYaml() {
        return open(YAML_RESOURCE);
    }

    private static InputStream open(String resource) {
        InputStream in = SegmindSpec.class.getResourceAsStream(resource);
        if (in == null) {
            throw new UncheckedIOException(new IOException(resource + " is missing from segmindkit-openapi: the jar is incomplete"));
        }
        return in;
    }
}
