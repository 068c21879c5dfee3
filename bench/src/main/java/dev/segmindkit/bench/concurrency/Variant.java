package dev.segmindkit.bench.concurrency;

import dev.segmindkit.core.PollingPolicy;
import dev.segmindkit.reactive.ReactiveSegmindClient;
import dev.segmindkit.sync.Job;
import dev.segmindkit.sync.SegmindClient;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * The three ways of holding many jobs in flight that the concurrency benchmark compares. Each job
 * is the SDK's own submit, then its wait with the client's default {@link PollingPolicy}, then the
 * fetch of the result: exactly what {@code run(...)} does, split only so that the harness can count
 * the jobs the service has accepted.
 */
enum Variant {
    /** {@link ReactiveSegmindClient}: one subscription per job, no thread per job. */
    REACTIVE {
        @Override
        Launch launch(String baseUrl, String apiKey, int jobs, int poolSize, Tally tally) {
            ReactiveSegmindClient client = ReactiveSegmindClient.builder().apiKey(apiKey).baseUrl(baseUrl).build();
            Disposable.Composite all = Disposables.composite();
            for (int i = 0; i < jobs; i++) {
                boolean[] accepted = {false};
                all.add(client.submit(MODEL, PARAMS)
                        .doOnNext(handle -> {
                            accepted[0] = true;
                            tally.markAccepted();
                        })
                        .flatMap(client::await)
                        .subscribe(result -> tally.finished(null, true), e -> tally.finished(e, accepted[0])));
            }
            return () -> {
                all.dispose();
                client.close();
            };
        }
    },
    /** {@link SegmindClient} with one virtual thread per job (JDK 21 or later). */
    VIRTUAL {
        @Override
        Launch launch(String baseUrl, String apiKey, int jobs, int poolSize, Tally tally) {
            return blocking(virtualThreadPerTask(), baseUrl, apiKey, jobs, tally);
        }
    },
    /** {@link SegmindClient} on a fixed pool of platform threads: jobs beyond the pool wait their turn. */
    PLATFORM {
        @Override
        Launch launch(String baseUrl, String apiKey, int jobs, int poolSize, Tally tally) {
            return blocking(Executors.newFixedThreadPool(poolSize), baseUrl, apiKey, jobs, tally);
        }
    };

    /** A model outside the spec, so no typical duration delays the first poll: the default policy polls at 1 s, then every second. */
    static final String MODEL = "flux-schnell";
    static final Map<String, Object> PARAMS = Map.of("prompt", "a lighthouse at dusk", "seed", 42);

    /** Starts {@code jobs} jobs at once and returns how to stop whatever is left. */
    abstract Launch launch(String baseUrl, String apiKey, int jobs, int poolSize, Tally tally);

    /** Stops the jobs still running and releases the client. */
    interface Launch {
        void stop();
    }

    private static Launch blocking(ExecutorService executor, String baseUrl, String apiKey, int jobs, Tally tally) {
        SegmindClient client = SegmindClient.builder().apiKey(apiKey).baseUrl(baseUrl).build();
        for (int i = 0; i < jobs; i++) {
            executor.execute(() -> {
                boolean accepted = false;
                try {
                    Job job = client.submit(MODEL, PARAMS);
                    accepted = true;
                    tally.markAccepted();
                    job.await();
                    tally.finished(null, true);
                } catch (RuntimeException e) {
                    tally.finished(e, accepted);
                }
            });
        }
        return () -> {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close();
        };
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()}, looked up at run time: the module is
     * compiled for Java 17, and only this variant needs JDK 21 or later.
     */
    static ExecutorService virtualThreadPerTask() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or later; this is " + Runtime.version()
                    + " (run with /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)", e);
        }
    }
}
