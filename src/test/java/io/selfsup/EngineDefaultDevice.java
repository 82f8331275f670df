package io.selfsup;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;

/**
 * Sets the engine's default device for the length of a test. On a CPU machine the default device is the CPU, so
 * code that forgets the device it was given and falls back to the default cannot be told from code that keeps
 * it; with the default set to the GPU, as a CUDA engine has it, that code fails on any machine (on one without
 * a GPU, nothing can be allocated there). DJL has no setter for it. What reads it: a model or manager made with
 * no device ({@code Model.newInstance(name)}, {@code Device.defaultIfNull}). What does not: the engine's root
 * manager, behind {@code NDManager.newBaseManager()}, took its device when first made and keeps it (DJL's own
 * shape inference allocates there, so it cannot be pointed at an absent GPU).
 */
public final class EngineDefaultDevice {

    /** What runs while the default device is changed. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private EngineDefaultDevice() {}

    /** Runs {@code body} with the engine's default device set to {@code device}, then restores the engine's own. */
    public static void whileItIs(Device device, Body body) throws Exception {
        Engine engine = Engine.getInstance();
        // the root manager takes the default device when first made: made now, it keeps the engine's own one
        engine.newBaseManager().close();
        Field field = Engine.class.getDeclaredField("defaultDevice");
        field.setAccessible(true);
        Object before = field.get(engine);
        field.set(engine, device);
        try {
            if (!device.equals(engine.defaultDevice())) {
                throw new AssertionError("the engine's default device did not change to " + device);
            }
            body.run();
        } finally {
            field.set(engine, before);
        }
        try (NDManager manager = engine.newBaseManager()) {
            if (!manager.getDevice().equals(engine.defaultDevice())) {
                throw new AssertionError("a manager made without a device is left on " + manager.getDevice());
            }
        }
    }
}
