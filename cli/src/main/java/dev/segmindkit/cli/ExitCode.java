package dev.segmindkit.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of the {@code segmind} command, one per kind of failure, so a shell script or CI
 * step can tell "fix your parameters" from "top up your credits" from "try again later" without
 * reading the message. The README and {@code segmind --help} show the same table.
 */
public final class ExitCode {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** Anything not listed below: a local file could not be written, or a bug. */
    public static final int ERROR = 1;
    /** Bad parameters: an unknown option, a value the spec refuses, a missing file, or the service's 400. */
    public static final int USAGE = 2;
    /** The key was refused (401), or the model is not allowed for this account (403). */
    public static final int AUTH = 3;
    /** Not enough credits (406). */
    public static final int CREDITS = 4;
    /** The job ran and FAILED. */
    public static final int JOB_FAILED = 5;
    /** We stopped waiting before the job finished (the deadline passed, or {@code result} without {@code --wait}); it may still finish. */
    public static final int TIMEOUT = 6;
    /** The service could not be reached, or an answer was lost on the way. */
    public static final int NETWORK = 7;
    /** No such model or request id (or the request is older than the service's one-hour retention). */
    public static final int NOT_FOUND = 8;
    /** The service failed: 5xx, rate limited past the retries, a retired model, an unreadable answer. */
    public static final int SERVICE = 9;
    /**
     * No API key, and no {@code --fake}, where the embedded fake would mislead: output that is not
     * a terminal (a script, a pipe, CI) or {@code -q}. The fake's URLs die with the process, so a
     * script must not take them for real results.
     */
    public static final int NO_KEY = 10;
    /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }

    /** The table shown by {@code segmind --help}, code to meaning, in order. */
    static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(String.valueOf(OK), "success");
        t.put(String.valueOf(ERROR), "other error (local file, bug)");
        t.put(String.valueOf(USAGE), "bad parameters (usage, spec validation, HTTP 400)");
        t.put(String.valueOf(AUTH), "authentication (401) or model not allowed (403)");
        t.put(String.valueOf(CREDITS), "insufficient credits (406)");
        t.put(String.valueOf(JOB_FAILED), "the job FAILED");
        t.put(String.valueOf(TIMEOUT), "stopped waiting, or not finished yet: resume with segmind result ID --wait");
        t.put(String.valueOf(NETWORK), "network failure, or a submit's answer lost");
        t.put(String.valueOf(NOT_FOUND), "unknown model or request id (or older than 1 hour)");
        t.put(String.valueOf(SERVICE), "service error (5xx, rate limited, retired model, bad answer)");
        t.put(String.valueOf(NO_KEY), "no SEGMIND_API_KEY, not on a terminal (or -q), no --fake");
        t.put(String.valueOf(INTERRUPTED), "interrupted (Ctrl-C); the resume command is printed");
        return t;
    }
}
