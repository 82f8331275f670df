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
import io.selfsup.EngineDefaultDevice;
import io.selfsup.SelfsupException;
import io.selfsup.nn.Pooling;
import io.selfsup.engine.DeviceMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ssl-eval's tensors follow the chosen device. The probe used to be created on the engine's default device: on a
 * CUDA engine its parameters sat on the GPU while the features stayed on the CPU, and training failed. The test
 * keeps the features on the CPU while the engine defaults to the GPU ({@link EngineDefaultDevice}), so a probe
 * made on the default device again fails it on any machine, a CPU one included.
 */
class EvalDeviceTest {

    @Test
    void theLinearProbeIsMadeOnTheFeaturesDeviceWhenTheEngineDefaultsToAGpu() throws Exception {
        Device features = Device.cpu();
        Device engineDefault = Engine.getInstance().defaultDevice();
        EngineDefaultDevice.whileItIs(Device.gpu(), () -> {
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
