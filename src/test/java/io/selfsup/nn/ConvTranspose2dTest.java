package io.selfsup.nn;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.selfsup.Fixtures;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** ConvTranspose2d against torch.nn.ConvTranspose2d: outputs and the gradients of x, weight and bias. */
class ConvTranspose2dTest {

    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> cases() {
        return Stream.of("model_layer1", "model_layer2", "k3_s2_p1_op1", "stride1", "nonsquare_batch3",
                        "k5_s3_p2_op1", "k1_s2_p0", "k2_s2_p0", "rect_kernel")
                .flatMap(c -> Stream.of(Arguments.of(c, new SubPixelConvTranspose()),
                        Arguments.of(c, new ShuffleConvTranspose()),
                        Arguments.of(c, new ZeroInsertionConvTranspose())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesPyTorchForwardAndGradients(String name, ConvTransposeAlgorithm algorithm) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "deconv_" + name);
            long[] g = f.get("geometry").toLongArray();
            DeconvAxis height = new DeconvAxis((int) g[0], (int) g[2], (int) g[4], (int) g[6]);
            DeconvAxis width = new DeconvAxis((int) g[1], (int) g[3], (int) g[5], (int) g[7]);
            NDArray x = f.get("x");
            NDArray weight = f.get("weight");
            NDArray bias = f.get("bias");
            x.setRequiresGradient(true);
            weight.setRequiresGradient(true);
            bias.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = algorithm.apply(x, weight, bias, height, width);
                assertClose("output", f.get("y"), y, TOLERANCE);
                collector.backward(y.mul(f.get("gy")).sum());
            }
            assertClose("grad x", f.get("grad_x"), x.getGradient(), TOLERANCE);
            assertClose("grad weight", f.get("grad_weight"), weight.getGradient(), TOLERANCE);
            assertClose("grad bias", f.get("grad_bias"), bias.getGradient(), TOLERANCE);
        }
    }

    @Test
    void blockHasPyTorchLayoutShapesAndInitBounds() {
        ConvTranspose2d block = ConvTranspose2d.builder()
                .setChannels(128, 64).setKernel(4, 4).optStride(2, 2).optPadding(1, 1).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 128, 8, 8));
            NDArray w = block.getParameters().get("weight").getArray();
            NDArray b = block.getParameters().get("bias").getArray();
            assertArrayEquals(new long[] {128, 64, 4, 4}, w.getShape().getShape());
            assertArrayEquals(new long[] {64}, b.getShape().getShape());
            // PyTorch: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = out_channels * kH * kW = 1024
            float bound = 1f / 32f;
            assertEquals(bound, w.abs().max().getFloat(), bound * 0.01);
            assertEquals(bound, b.abs().max().getFloat(), bound * 0.2);
            assertArrayEquals(new long[] {2, 64, 16, 16},
                    block.getOutputShapes(new Shape[] {new Shape(2, 128, 8, 8)})[0].getShape());
            NDList out = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.ones(new Shape(2, 128, 8, 8))), false);
            assertArrayEquals(new long[] {2, 64, 16, 16}, out.singletonOrThrow().getShape().getShape());
        }
    }
}
