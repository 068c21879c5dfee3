package dev.segmindkit.core;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A request was refused before anything was sent, because parameters break the constraints the
 * spec declares for the model. Names every violated field with its allowed range or values.
 */
public class ValidationException extends SegmindException {
    private static final long serialVersionUID = 1L;

    private final List<Violation> violations;

    public ValidationException(String model, List<Violation> violations) {
        super("invalid '" + model + "' request: " + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")), null, null);
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    /** Every violated constraint, in field order. */
    public List<Violation> violations() {
        return violations;
    }

    /** One field and what is wrong with it. */
    public static final class Violation implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private final String field;
        private final String problem;

        public Violation(String field, String problem) {
            this.field = Objects.requireNonNull(field, "field");
            this.problem = Objects.requireNonNull(problem, "problem");
        }

        /** The parameter's wire name, such as {@code number_of_images}. */
        public String field() {
            return field;
        }

        /** What is wrong, with the allowed range or values. */
        public String problem() {
            return problem;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Violation && ((Violation) o).field.equals(field) && ((Violation) o).problem.equals(problem);
        }

        @Override
        public int hashCode() {
            return Objects.hash(field, problem);
        }

        @Override
        public String toString() {
            return field + " " + problem;
        }
    }
}
