package dev.segmindkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    @Test
    void startsAtAFixedInstantAndMovesOnlyWhenTold() {
        ManualClock clock = new ManualClock();

        assertThat(clock.now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(clock.advance(Duration.ofMinutes(10))).isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
        clock.set(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(clock.now()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
    }

    @Test
    void sleepMovesTheClockAndReturnsAtOnce() throws InterruptedException {
        ManualClock clock = new ManualClock();
        long started = System.nanoTime();

        clock.sleep(Duration.ofHours(3));

        assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofHours(3)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void parallelSleepersEndAtTheLatestWakeUpNotTheSum() throws InterruptedException {
        ManualClock clock = new ManualClock();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            Duration d = Duration.ofSeconds(i);
            threads.add(new Thread(() -> {
                try {
                    clock.sleep(d);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        assertThat(clock.now()).isBetween(ManualClock.DEFAULT_START.plusSeconds(8), ManualClock.DEFAULT_START.plusSeconds(36));
    }

    @Test
    void sleepOfAnInterruptedThreadThrowsAndClearsTheFlag() {
        ManualClock clock = new ManualClock();
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> clock.sleep(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START);
    }

    @Test
    void neverGoesBackwards() throws InterruptedException {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only moves forward");
        assertThatThrownBy(() -> clock.set(Instant.parse("2029-12-31T23:59:59Z"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot set it to 2029-12-31T23:59:59Z");
        clock.sleep(Duration.ofSeconds(-5));
        clock.set(clock.now());
        assertThat(clock.now()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    }
}
