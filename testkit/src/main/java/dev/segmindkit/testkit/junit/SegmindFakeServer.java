package dev.segmindkit.testkit.junit;

import dev.segmindkit.testkit.junit.internal.FakeServerExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class a started {@link dev.segmindkit.testkit.FakeSegmindServer} (one for
 * the class and its nested classes, closed when they are done) and each test a fresh {@link
 * dev.segmindkit.testkit.Tenant} (revoked when the test ends). Declare them as parameters of test,
 * lifecycle or constructor methods:
 *
 * <pre>{@code
 * @SegmindFakeServer(time = SegmindFakeServer.Time.MANUAL)
 * class MyClientTest {
 *     @Test
 *     void waitsForTheJob(FakeSegmindServer server, Tenant tenant, ManualClock clock) { ... }
 * }
 * }</pre>
 *
 * <p>Parameters resolved: {@code FakeSegmindServer}, {@code Tenant} (the same one for every
 * parameter and lifecycle method of one test; in {@code @BeforeAll}, one for the class), and
 * {@code ManualClock} (the tenant's own clock, under {@link Time#MANUAL} and {@link
 * Time#AUTO_ADVANCE}). Each test's tenant has its own clock, so tests may run in parallel even
 * when they move time. A {@code ManualClock} parameter under {@link Time#REAL}, or an unreadable
 * {@link #autoAdvanceStep()}, fails the test with a message saying so.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(FakeServerExtension.class)
public @interface SegmindFakeServer {

    /** How the tenants' time runs. */
    Time time() default Time.REAL;

    /** Under {@link Time#AUTO_ADVANCE}, how far each status poll moves the clock: ISO-8601, such as {@code PT5S}. */
    String autoAdvanceStep() default "PT1S";

    /** How the tenants' time runs. */
    enum Time {
        /** Real time, with short job durations (50 ms queued, 150 ms processing by default). */
        REAL,
        /** Each test's tenant on its own {@code ManualClock}: time moves only when the test (or a client sharing the clock) moves it. */
        MANUAL,
        /** As {@link #MANUAL}, and every status poll moves the clock on by {@link SegmindFakeServer#autoAdvanceStep()}. */
        AUTO_ADVANCE
    }
}
