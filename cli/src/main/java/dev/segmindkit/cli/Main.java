package dev.segmindkit.cli;

import java.time.Duration;
import java.util.Arrays;

/**
 * {@code java -jar segmind.jar COMMAND ...}: runs {@link SegmindCli} on this process's streams
 * and exits with its code. Ctrl-C runs the shutdown hook, which cancels the command and gives it a
 * moment to print how to resume the job before the JVM ends.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        configureLogging(Arrays.asList(args).contains("--verbose"));
        SegmindCli cli = SegmindCli.builder().build();
        Thread onCtrlC = new Thread(() -> {
            cli.cancel();
            try {
                cli.awaitIdle(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "segmind-ctrl-c");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        int code = cli.execute(args);
        try {
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the JVM is already exiting (with 130); System.exit now would block forever.
            return;
        }
        System.exit(code);
    }

    /** The SDK logs through SLF4J; the tool shows its warnings, and with --verbose every request (the key is masked). */
    private static void configureLogging(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
        if (verbose) {
            setIfAbsent("org.slf4j.simpleLogger.log.dev.segmindkit", "debug");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
