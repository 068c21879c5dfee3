package dev.segmindkit.core;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the policies, so each setter fails at once with the same words. */
final class Checks {
    private Checks() {
    }

    static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    static Duration notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        return d;
    }

    static double multiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, got " + multiplier);
        }
        return multiplier;
    }

    static double fraction(double value, String name) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0.0 and 1.0, got " + value);
        }
        return value;
    }
}
