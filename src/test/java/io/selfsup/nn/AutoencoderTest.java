package io.selfsup.nn;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.selfsup.Fixtures;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoencoderTest {

    @Test
    void hasTheArticlesParameterCountAndNamedParts() {
        Autoencoder net = new Autoencoder();
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(2));
            long count = net.getParameters().stream().mapToLong(p -> p.getValue().getArray().size()).sum();
            assertEquals(268_547, count);
            List<String> children = net.getChildren().keys();
            assertEquals(List.of("01Encoder", "02Decoder"), children);
        }
    }

    @Test
    void initializationHasPyTorchBounds() {
        Autoencoder net = new Autoencoder();
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(2));
            // conv1 fan_in 3*16 = 48, conv2 64*16, deconv1 fan_in 64*16, deconv2 3*16 (out_channels * k * k)
            double[] bounds = {1 / Math.sqrt(48), 1 / Math.sqrt(1024), 1 / Math.sqrt(1024), 1 / Math.sqrt(48)};
            List<Pair<String, Parameter>> params = net.getParameters().stream().toList();
            for (int layer = 0; layer < 4; layer++) {
                NDArray w = params.get(2 * layer).getValue().getArray();
                float max = w.abs().max().getFloat();
                assertTrue(max <= bounds[layer] && max > 0.9 * bounds[layer],
                        params.get(2 * layer).getKey() + " max " + max + " vs bound " + bounds[layer]);
                float mean = w.mean().getFloat();
                assertTrue(Math.abs(mean) < 0.1 * bounds[layer], "uniform around 0: mean " + mean);
            }
        }
    }

    @Test
    void forwardMatchesPyTorch() {
        Autoencoder net = new Autoencoder();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "model");
            net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(4));
            Fixtures.loadTorchParameters(net, f, "param_");
            NDArray y = net.forward(new ParameterStore(manager, false), new NDList(f.get("x")), false)
                    .singletonOrThrow();
            assertClose("model output", f.get("y"), y, 1e-5);
        }
    }

    @Test
    void zeroInsertionModelGivesTheSameOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "model");
            Autoencoder net = new Autoencoder(new ZeroInsertionConvTranspose());
            net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(4));
            Fixtures.loadTorchParameters(net, f, "param_");
            NDArray y = net.forward(new ParameterStore(manager, false), new NDList(f.get("x")), false)
                    .singletonOrThrow();
            assertClose("model output", f.get("y"), y, 1e-5);
        }
    }
}
