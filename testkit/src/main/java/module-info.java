/**
 * A faithful fake of the Segmind API, {@link dev.segmindkit.testkit.FakeSegmindServer}, and its
 * JUnit 5 extension, {@link dev.segmindkit.testkit.junit.SegmindFakeServer}. JUnit is needed only
 * by whoever uses the extension, so it is read when present and never required.
 */
module dev.segmindkit.testkit {
    requires transitive dev.segmindkit.core;
    requires transitive com.fasterxml.jackson.databind;
    requires java.desktop;
    requires static org.junit.jupiter.api;
    requires static org.junit.platform.commons;

    exports dev.segmindkit.testkit;
    exports dev.segmindkit.testkit.junit;
    // JUnit instantiates the extension by reflection.
    opens dev.segmindkit.testkit.junit.internal to org.junit.platform.commons;
}
