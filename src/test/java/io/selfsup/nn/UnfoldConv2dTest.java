package io.selfsup.nn;

import static io.selfsup.Fixtures.assertClose;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The unfolded convolution against the engine's own conv2d (PyTorch's), outputs and gradients. */
class UnfoldConv2dTest {

    @ParameterizedTest(name = "in {0} out {1} k {2} s {3} p {4}")
    @CsvSource({"3, 64, 4, 2, 1", "3, 8, 3, 1, 1", "2, 5, 3, 2, 0", "4, 6, 5, 3, 2"})
    void equalsTheEnginesConvolution(int in, int out, int k, int s, int p) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray x = manager.randomNormal(new Shape(3, in, 11, 9));
            NDArray w = manager.randomNormal(new Shape(out, in, k, k));
            NDArray b = manager.randomNormal(new Shape(out));
            NDArray[] ours = run(x, w, b, xx -> new UnfoldConv2d(in, out, k, s, p).conv(xx[0], xx[1], xx[2]));
            NDArray[] engine = run(x, w, b, xx -> Conv2d.conv2d(xx[0], xx[1], xx[2], new Shape(s, s), new Shape(p, p))
                    .singletonOrThrow());
            String[] names = {"output", "grad x", "grad weight", "grad bias"};
            for (int i = 0; i < 4; i++) {
                assertClose(names[i], engine[i], ours[i], 1e-5);
            }
        }
    }

    private static NDArray[] run(NDArray x0, NDArray w0, NDArray b0,
                                 java.util.function.Function<NDArray[], NDArray> op) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        NDArray b = b0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            y = op.apply(new NDArray[] {x, w, b});
            collector.backward(y.mul(y).sum());
        }
        return new NDArray[] {y, x.getGradient(), w.getGradient(), b.getGradient()};
    }
}
