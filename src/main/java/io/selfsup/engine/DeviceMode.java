package io.selfsup.engine;

/** What --device asks for. */
public enum DeviceMode {
    /** CUDA when DJL sees a GPU, else CPU. */
    AUTO,
    CPU,
    GPU
}
