package dev.ticker.stream.protocol;

import java.util.Objects;
import java.util.Properties;

/**
 * Which build of the WAR is running, as {@code welcome} and {@code /health} tell it:
 * <pre>{@code
 * "build":{"version":"1.0.0","commit":"2aee8a1","dirty":false}
 * }</pre>
 * {@code commit} is the short id of the git commit the WAR was built from, or {@code unknown} when
 * it was built outside a git clone; {@code dirty} says the work tree had uncommitted changes, so
 * the WAR is not exactly that commit (a release never is dirty).
 */
public record Build(String version, String commit, boolean dirty) {

    public static final Build UNKNOWN = new Build("unknown", "unknown", false);

    public Build {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(commit, "commit");
    }

    /**
     * The build that {@code properties} (the build's {@code build.properties}) describe; a value
     * the build did not fill in (still a {@code ${...}} placeholder, or missing) reads as unknown.
     */
    public static Build from(Properties properties) {
        return new Build(value(properties, "version"), value(properties, "commit"),
                "true".equals(properties.getProperty("dirty")));
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key, "").trim();
        return value.isEmpty() || value.contains("${") ? "unknown" : value;
    }
}
