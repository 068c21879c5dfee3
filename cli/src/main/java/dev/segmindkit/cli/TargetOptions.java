package dev.segmindkit.cli;

import picocli.CommandLine.Option;

/** Where a command sends its requests, and how much it says about failures. Shared by every API command. */
final class TargetOptions {
    @Option(names = "--fake", order = 200,
            description = "Use the embedded fake server, started in this process: no key needed, nothing billed, outputs are generated test images.")
    boolean fake;

    @Option(names = "--base-url", paramLabel = "URL", order = 201,
            description = "The API's base URL. Default: $SEGMIND_BASE_URL, else https://api.segmind.com.")
    String baseUrl;

    @Option(names = "--verbose", order = 202,
            description = "On failure, print the stack trace; log every HTTP request to stderr (never the API key).")
    boolean verbose;
}
