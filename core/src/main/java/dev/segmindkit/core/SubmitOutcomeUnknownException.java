package dev.segmindkit.core;

import java.util.Objects;

/**
 * A submit was sent but its answer was lost (the connection dropped, timed out, or the answer
 * could not be read). The job may exist and be billed, so the SDK does not re-send it: the API has
 * no idempotency key, and a blind retry could run and bill the job twice. Check the account's jobs
 * or credits before submitting again.
 */
public class SubmitOutcomeUnknownException extends SegmindException {
    private static final long serialVersionUID = 1L;

    private final String model;

    public SubmitOutcomeUnknownException(String model, Throwable cause) {
        super("the submit of a '" + model + "' job was sent but its answer was lost (" + describe(cause)
                + "); the job may exist and was not re-sent, to avoid paying twice", null, cause);
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The model the lost submit was for. */
    public String model() {
        return model;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no answer";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
