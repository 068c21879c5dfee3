package dev.segmindkit.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version the jar's manifest records, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"segmind (segmindkit) " + (version == null ? "development build" : version),
            "Java " + System.getProperty("java.version")};
    }
}
