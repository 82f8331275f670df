package io.selfsup.engine;

import java.util.Locale;

/** What --device asks for. */
public enum DeviceMode {
    /** CUDA when DJL sees a GPU, else CPU. */
    AUTO,
    CPU,
    GPU;

    /** The id, so that picocli's messages and the logs name values as users type them. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
