package io.selfsup.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.selfsup.nn.ConvTransposeAlgorithm;
import io.selfsup.nn.DeconvAxis;
import io.selfsup.nn.ShuffleConvTranspose;
import io.selfsup.nn.SubPixelConvTranspose;
import io.selfsup.nn.ZeroInsertionConvTranspose;
import io.selfsup.console.Logging;
import io.selfsup.engine.EngineSettings;
import java.util.List;
import java.util.Locale;

/**
 * Times the model's two transposed convolutions, forward and forward + backward, at batch 64, for each
 * algorithm, and prints the multiply-adds each does against those the operation needs.
 *
 * <p>Usage: {@code scripts/bench/bench-deconv [iterations] [threads]}
 */
public final class DeconvBenchmark {

    private record Layer(String name, int in, int out, int side) {}

    private static final List<Layer> LAYERS = List.of(
            new Layer("deconv1 128->64 8x8->16x16", 128, 64, 8),
            new Layer("deconv2 64->3 16x16->32x32", 64, 3, 16));

    public static void main(String[] args) {
        Logging.configure(false);
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int threads = EngineSettings.apply(args.length > 1 ? Integer.parseInt(args[1]) : 0);
        int batch = 64;
        DeconvAxis axis = new DeconvAxis(4, 2, 1, 0);
        List<ConvTransposeAlgorithm> algorithms = List.of(
                new ZeroInsertionConvTranspose(), new SubPixelConvTranspose(), new ShuffleConvTranspose());
        System.out.printf(Locale.ROOT, "engine %s %s, %d intra-op thread(s), batch %d, %d timed iterations%n",
                Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), threads, batch, iterations);
        System.out.printf(Locale.ROOT, "%-28s %-28s %12s %10s %14s %10s%n", "layer", "algorithm", "MMAC/batch",
                "x needed", "fwd ms", "fwd+bwd ms");
        for (Layer layer : LAYERS) {
            long needed = (long) batch * layer.in() * layer.side() * layer.side() * layer.out() * 16;
            for (ConvTransposeAlgorithm algorithm : algorithms) {
                long done = algorithm.multiplyAdds(new Shape(batch, layer.in(), layer.side(), layer.side()),
                        layer.out(), axis, axis);
                double[] ms = time(algorithm, layer, batch, axis, iterations);
                System.out.printf(Locale.ROOT, "%-28s %-28s %12.1f %10.2f %14.2f %10.2f%n", layer.name(),
                        algorithm, done / 1e6, (double) done / needed, ms[0], ms[1]);
            }
        }
    }

    private static double[] time(ConvTransposeAlgorithm algorithm, Layer layer, int batch, DeconvAxis axis,
                                 int iterations) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(batch, layer.in(), layer.side(), layer.side()));
            NDArray w = manager.randomNormal(new Shape(layer.in(), layer.out(), 4, 4)).mul(0.05f);
            NDArray b = manager.zeros(new Shape(layer.out()));
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            double forward = 0;
            double both = 0;
            for (int i = -5; i < iterations; i++) {
                try (NDManager step = manager.newSubManager()) {
                    long t0 = System.nanoTime();
                    NDArray y;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        y = algorithm.apply(x, w, b, axis, axis);
                        y.attach(step);
                        y.sum().getFloat();
                        long t1 = System.nanoTime();
                        collector.backward(y.sum());
                        x.getGradient().getFloat(0, 0, 0, 0);
                        long t2 = System.nanoTime();
                        if (i >= 0) {
                            forward += (t1 - t0) / 1e6;
                            both += (t2 - t0) / 1e6;
                        }
                    }
                }
            }
            return new double[] {forward / iterations, both / iterations};
        }
    }
}
