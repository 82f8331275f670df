package io.selfsup.console;

/**
 * slf4j-simple settings, applied before the first logger exists. DJL's own INFO lines (native library
 * extraction, thread counts) and its WARN on machines without CUDA ("Failed to detect GPU count") are noise
 * to a user; --verbose brings them back. So are Spark's, Hadoop's and parquet-java's INFO lines under the Spark job.
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
        for (String library : new String[] {"org.apache.spark", "org.sparkproject", "org.apache.hadoop",
                "org.apache.parquet"}) {
            setDefault("log." + library, verbose ? "info" : "warn");
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
