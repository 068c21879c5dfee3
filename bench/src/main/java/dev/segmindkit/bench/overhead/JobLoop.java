package dev.segmindkit.bench.overhead;

/**
 * One way of running a whole job (submit, poll until COMPLETED, fetch the result) on the calling
 * thread: the SDK, or the hand-written baseline it is compared with.
 */
interface JobLoop extends AutoCloseable {
    /** The model and parameters every loop submits, the same bytes on the wire. */
    String MODEL = "style-transfer";
    String STYLE_IMAGE = "https://example.com/style.png";

    /** Runs one job to its result and returns the result's first output, so that nothing is optimised away. */
    String runJob();

    @Override
    void close();
}
