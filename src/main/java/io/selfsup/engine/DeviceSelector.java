package io.selfsup.engine;

import ai.djl.Device;
import io.selfsup.SelfsupException;

/** Picks the devices to train on from --device, --max-gpus and the GPUs the engine sees. */
public final class DeviceSelector {

    private DeviceSelector() {}

    /**
     * @param mode what the user asked for
     * @param maxGpus at most this many GPUs; 0 means all that are visible
     * @param visibleGpus GPUs the engine reports
     */
    public static Device[] select(DeviceMode mode, int maxGpus, int visibleGpus) {
        if (maxGpus < 0) {
            throw new SelfsupException("--max-gpus must be 0 (all) or more, got " + maxGpus);
        }
        if (mode == DeviceMode.CPU || (mode == DeviceMode.AUTO && visibleGpus == 0)) {
            return new Device[] {Device.cpu()};
        }
        if (visibleGpus == 0) {
            throw new SelfsupException("--device gpu was asked for but the PyTorch engine sees no CUDA GPU; "
                    + "use --device cpu; scripts/selfsup loads CUDA libtorch where an NVIDIA GPU is present "
                    + "(README, 'GPU')");
        }
        int n = maxGpus == 0 ? visibleGpus : Math.min(maxGpus, visibleGpus);
        Device[] devices = new Device[n];
        for (int i = 0; i < n; i++) {
            devices[i] = Device.gpu(i);
        }
        return devices;
    }

    /** The device of a command that runs on one device (ssl-encode, ssl-eval): the first that {@link #select} picks. */
    public static Device single(DeviceMode mode, int visibleGpus) {
        return select(mode, 1, visibleGpus)[0];
    }
}
