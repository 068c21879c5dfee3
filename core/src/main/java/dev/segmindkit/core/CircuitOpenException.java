package dev.segmindkit.core;

/**
 * Nothing was sent: the client's circuit breaker is open because the service kept failing, and it
 * fails calls fast until its wait in the open state is over. Safe to retry later; no job was made.
 */
public class CircuitOpenException extends SegmindException {
    private static final long serialVersionUID = 1L;

    public CircuitOpenException(String operation, String breaker, String requestId) {
        super(operation + " not sent: the circuit breaker '" + breaker + "' is open after repeated failures of the service", requestId,
                null);
    }
}
