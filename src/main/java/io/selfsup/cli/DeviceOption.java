package io.selfsup.cli;

import io.selfsup.engine.DeviceMode;
import picocli.CommandLine.Option;

/** --device, the same on every command. */
final class DeviceOption {

    static final String DESCRIPTION = "auto: the GPU when the PyTorch engine sees a CUDA GPU, else the CPU; gpu: "
            + "fail unless there is one (default: ${DEFAULT-VALUE}). Whether the engine is CUDA libtorch at all is "
            + "decided before, by the launcher (SELFSUP_NATIVE; see README, 'GPU').";

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = DESCRIPTION)
    DeviceMode device;
}
