package io.selfsup.engine;

import ai.djl.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which libtorch this process runs on and why. The launcher (scripts/selfsup) makes the choice, because the class
 * path decides it, and passes it as system properties; the engine then says which libtorch it actually loaded.
 */
public final class NativeLibrary {

    static final String CHOICE = "selfsup.native";
    static final String REASON = "selfsup.native.reason";

    private NativeLibrary() {}

    /** cpu or cuda as the launcher chose, or "unknown" when the JVM was not started by scripts/selfsup. */
    public static String choice() {
        return System.getProperty(CHOICE, "unknown");
    }

    public static String reason() {
        return System.getProperty(REASON, "the JVM was not started by scripts/selfsup");
    }

    /** The folder of the libtorch the engine loaded (its name carries version and flavour), once loaded. */
    public static String loaded(Engine engine) {
        try {
            engine.getVersion(); // loads the native library if nothing did yet
            return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** One line for the log: the choice, its reason and what was loaded. */
    public static String describe(Engine engine) {
        return choice() + " libtorch (" + reason() + "), loaded from " + loaded(engine);
    }

    /**
     * A warning when CUDA libtorch was chosen but the engine sees no GPU, or null. DJL counts GPUs through the
     * CUDA runtime library (libcudart.so), which a machine with only the NVIDIA driver lacks.
     */
    public static String cudaWithoutGpu(Engine engine) {
        if (!"cuda".equals(choice()) || engine.getGpuCount() > 0) {
            return null;
        }
        return "CUDA libtorch was chosen (" + reason() + ") but DJL sees no GPU: DJL counts GPUs through the CUDA "
                + "runtime, libcudart.so, which must be on LD_LIBRARY_PATH (a CUDA toolkit's lib64); see README, "
                + "'GPU'";
    }

    /** What config.json records. */
    public static Map<String, Object> toMap(Engine engine) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("libtorch", choice());
        m.put("reason", reason());
        m.put("loaded", loaded(engine));
        m.put("gpus_visible", engine.getGpuCount());
        return m;
    }
}
