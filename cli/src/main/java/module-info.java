/**
 * The {@code segmind} command-line tool. Its package is an application, not an API: nothing is
 * exported; picocli reads its commands by reflection.
 */
module dev.segmindkit.cli {
    requires dev.segmindkit.sync;
    requires dev.segmindkit.testkit;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;

    opens dev.segmindkit.cli to info.picocli;
}
