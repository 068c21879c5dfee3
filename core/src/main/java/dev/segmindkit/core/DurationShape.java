package dev.segmindkit.core;

import java.time.Duration;

/**
 * How likely a job is to finish right now, given how long it has run: the hazard rate of a
 * log-normal distribution of job durations around a model's typical duration. {@link PollingPolicy}
 * spaces polls by it, so that each poll has about the same chance of being the one that finds
 * the job done.
 *
 * <p>Written in {@code z}, the number of spreads ({@code σ}) between the log of the elapsed time
 * and the log of the typical duration, the hazard is {@code g(z) / (σ · typical)} with
 * {@code g(z) = φ(z) / (e^{σz} · (1 − Φ(z)))}. The ratio of two hazards is therefore the ratio of
 * their {@code g}, whatever the typical duration. Past {@value #Z_MAX} spreads the hazard is held
 * at its value there: a job that overruns that far is late for a reason the distribution does not
 * know, and the densest spacing is the right one for it.
 */
final class DurationShape {
    private static final double Z_MAX = 3.0;
    private static final double Z_MIN = -8.0;
    private static final double STEP = 0.01;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final double spread;
    private final double logPeak;

    DurationShape(double spread) {
        this.spread = spread;
        double peak = Double.NEGATIVE_INFINITY;
        for (double z = Z_MIN; z <= Z_MAX + STEP / 2; z += STEP) {
            peak = Math.max(peak, logG(Math.min(z, Z_MAX)));
        }
        this.logPeak = peak;
    }

    double spread() {
        return spread;
    }

    /**
     * How many times the densest interval to wait after {@code elapsed} of a job whose model
     * usually takes {@code typical}: {@code sqrt(peak hazard / hazard now)}, at least 1, infinite
     * before the job can plausibly be done. The square root is the optimum of a classic inspection
     * problem: it minimises the expected notice delay for a given expected number of polls.
     */
    double widening(Duration elapsed, Duration typical) {
        if (elapsed.isZero() || elapsed.isNegative()) {
            return Double.POSITIVE_INFINITY;
        }
        double z = Math.log((double) elapsed.toNanos() / typical.toNanos()) / spread;
        if (z < Z_MIN) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(1.0, Math.exp((logPeak - logG(Math.min(z, Z_MAX))) / 2));
    }

    /** {@code ln g(z)}: log density minus log survival, less {@code σz}. */
    private double logG(double z) {
        return -z * z / 2 - LOG_SQRT_2PI - spread * z - Math.log(survival(z));
    }

    /** {@code 1 − Φ(z)}, from the complementary error function. */
    static double survival(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /**
     * The complementary error function, Abramowitz and Stegun 7.1.26 (absolute error below
     * 1.5e-7; the relative error stays below 1e-4 over the range used here).
     */
    static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        double t = 1 / (1 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return poly * Math.exp(-x * x);
    }
}
