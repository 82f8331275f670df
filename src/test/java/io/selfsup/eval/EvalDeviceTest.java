package io.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.selfsup.SelfsupException;
import io.selfsup.encode.Pooling;
import io.selfsup.engine.DeviceMode;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ssl-eval's tensors follow the chosen device. The probe used to be created on the engine's default device: on a
 * CUDA engine its parameters sat on the GPU while the features stayed on the CPU, and training failed. On a CPU
 * machine the default device is the CPU, where the features are too, so that mistake would go unseen; the test
 * therefore sets the engine's default device to the GPU, as a CUDA engine has it, and keeps the features on the
 * CPU: a probe or kNN vote that follows the default device fails here (no GPU to allocate on, or parameters on
 * the wrong device) on any machine.
 */
class EvalDeviceTest {

    @Test
    void theLinearProbeAndTheKnnVoteStayOnTheFeaturesDeviceWhenTheEngineDefaultsToAGpu() throws Exception {
        Device features = Device.cpu();
        Device engineDefault = Engine.getInstance().defaultDevice();
        withEngineDefaultDevice(Device.gpu(), () -> {
            assertEquals(Device.gpu(), Engine.getInstance().defaultDevice(), "the engine now defaults to the GPU");
            try (NDManager manager = NDManager.newBaseManager(features)) {
                LabeledFeatures train = separable(manager, 64);
                LabeledFeatures test = separable(manager, 32);
                List<Device> parameterDevices = new ArrayList<>();
                double accuracy = new LinearProbe(3).accuracy(train, test, 2, probe -> probe.getParameters().values()
                        .stream().map(Parameter::getArray).map(NDArray::getDevice).forEach(parameterDevices::add));
                assertEquals(2, parameterDevices.size(), "the probe's weight and bias");
                parameterDevices.forEach(d -> assertEquals(features, d, "probe parameter device"));
                assertTrue(accuracy > 0.9, "two separable clusters: " + accuracy);
                assertEquals(1.0, new KnnClassifier(5).accuracy(train, test, 2), 1e-9);
            }
        });
        assertEquals(engineDefault, Engine.getInstance().defaultDevice(), "the engine's own default is back");
    }

    @Test
    void gpuWithoutOneIsAClearErrorBeforeAnythingIsRead(@org.junit.jupiter.api.io.TempDir Path tmp) {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        SelfsupException e = assertThrows(SelfsupException.class, () -> EvalJob.run(new EvalConfig(null, null,
                tmp.resolve("train.npz"), tmp.resolve("test.npz"), List.of(Pooling.AVG), false, 5, 1, 16, null,
                DeviceMode.GPU), row -> { }));
        assertTrue(e.getMessage().contains("--device gpu"), e.getMessage());
    }

    /**
     * Runs {@code body} with the engine's default device replaced by {@code device}. DJL has no setter for it;
     * the field is read by every manager or model made without a device, which is what this test is about.
     */
    private static void withEngineDefaultDevice(Device device, Runnable body) throws ReflectiveOperationException {
        Engine engine = Engine.getInstance();
        Field field = Engine.class.getDeclaredField("defaultDevice");
        field.setAccessible(true);
        Object before = field.get(engine);
        field.set(engine, device);
        try {
            body.run();
        } finally {
            field.set(engine, before);
        }
    }

    /** Class 0 around -1, class 1 around +1 in 4 dimensions, on {@code manager}'s device. */
    private static LabeledFeatures separable(NDManager manager, int n) {
        float[] x = new float[n * 4];
        long[] y = new long[n];
        java.util.Random random = new java.util.Random(n);
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (y[i] == 0 ? -1 : 1) + 0.1f * (float) random.nextGaussian();
            }
        }
        return new LabeledFeatures(manager.create(x, new Shape(n, 4)), manager.create(y));
    }
}
