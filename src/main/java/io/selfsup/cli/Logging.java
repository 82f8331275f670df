package io.selfsup.cli;

/**
 * slf4j-simple settings, applied before the first logger exists. DJL's own INFO lines (native library
 * extraction, thread counts) and its WARN on machines without CUDA ("Failed to detect GPU count") are noise
 * to a user; --verbose brings them back.
 */
public final class Logging {

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {}

    public static void configure(boolean verbose) {
        setDefault("defaultLogLevel", "info");
        setDefault("showThreadName", "false");
        setDefault("showLogName", "false");
        setDefault("levelInBrackets", "true");
        setDefault("log.ai.djl", verbose ? "info" : "warn");
        setDefault("log.ai.djl.util.cuda.CudaUtils", verbose ? "warn" : "error");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
