package io.selfsup.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;

/**
 * Prints what the engine runs on: engine and DJL versions, the libtorch that was loaded and why, whether it is a
 * CUDA build, and every GPU it sees. scripts/check/gpu-check reads the "gpus:" line.
 */
public final class EngineReport {

    private EngineReport() {}

    public static void main(String[] args) {
        EngineSettings.apply(0);
        Engine engine = Engine.getInstance();
        System.out.println("engine: " + engine.getEngineName() + " " + engine.getVersion() + " (DJL "
                + Engine.getDjlVersion() + ")");
        System.out.println("libtorch: " + NativeLibrary.loaded(engine));
        System.out.println("chosen: " + NativeLibrary.choice() + " (" + NativeLibrary.reason() + ")");
        System.out.println("cuda build: " + (engine.hasCapability(StandardCapabilities.CUDA) ? "yes" : "no"));
        int gpus = engine.getGpuCount();
        System.out.println("gpus: " + gpus);
        for (int i = 0; i < gpus; i++) {
            String line = "  " + Device.gpu(i);
            try {
                MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(i));
                line += ": compute capability " + CudaUtils.getComputeCapability(i) + ", "
                        + memory.getMax() / (1 << 20) + " MiB";
            } catch (RuntimeException | LinkageError e) {
                line += " (" + e.getMessage() + ")";
            }
            System.out.println(line);
        }
        String warning = NativeLibrary.cudaWithoutGpu(engine);
        if (warning != null) {
            System.out.println("warning: " + warning);
        }
    }
}
