package io.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.selfsup.nn.Pooling;
import io.selfsup.engine.DeviceMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ssl-eval's tensors follow the chosen device. The probe used to be created on the engine's default device: on a
 * CUDA engine its parameters sat on the GPU while the features stayed on the CPU, and training failed. With the
 * features on the CPU the probe's parameters must be there too, whatever the engine's default; on a machine with
 * a GPU this test is that regression, on the CPU it checks the wiring.
 */
class EvalDeviceTest {

    @Test
    void theLinearProbeAndItsOutputsLiveOnTheFeaturesDevice() {
        Device chosen = Device.cpu();
        try (NDManager manager = NDManager.newBaseManager(chosen)) {
            LabeledFeatures train = separable(manager, 64);
            LabeledFeatures test = separable(manager, 32);
            List<Device> parameterDevices = new ArrayList<>();
            double accuracy = new LinearProbe(3).accuracy(train, test, 2, probe -> probe.getParameters().values()
                    .stream().map(Parameter::getArray).map(NDArray::getDevice).forEach(parameterDevices::add));
            assertFalse(parameterDevices.isEmpty());
            parameterDevices.forEach(d -> assertEquals(chosen, d, "probe parameter device"));
            assertTrue(accuracy > 0.9, "two separable clusters: " + accuracy);
            assertEquals(1.0, new KnnClassifier(5).accuracy(train, test, 2), 1e-9);
        }
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
