package io.selfsup.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.selfsup.cli.Logging;
import io.selfsup.nn.CifarResNet18;
import io.selfsup.engine.EngineSettings;
import java.util.Locale;

/**
 * Images per second through forward + backward of the CIFAR ResNet-18 (one view, batch 256, no optimizer)
 * at widths 16 and 32, to size self-supervised runs on the CPU.
 *
 * <p>Usage: {@code SELFSUP_MAIN=io.selfsup.bench.ResNetStepBenchmark scripts/selfsup [iterations] [threads] [batch]}
 */
public final class ResNetStepBenchmark {

    private static final int DEFAULT_BATCH = 256;
    private static final int WARM_UP = 1;

    private ResNetStepBenchmark() {}

    public static void main(String[] args) {
        Logging.configure(false);
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = EngineSettings.apply(args.length > 1 ? Integer.parseInt(args[1]) : 0);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_BATCH;
        System.out.printf(Locale.ROOT, "engine %s %s, %d intra-op thread(s), batch %d, %d timed iterations%n",
                Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), threads, batch, iterations);
        for (int width : new int[] {16, 32}) {
            double seconds = time(width, batch, iterations);
            System.out.printf(Locale.ROOT, "width %2d: %8.1f ms/step, %7.1f images/s (forward + backward)%n",
                    width, 1000 * seconds, batch / seconds);
        }
    }

    /** Mean seconds of one forward + backward after warm-up; libtorch on the CPU returns when backward is done. */
    private static double time(int width, int batch, int iterations) {
        try (NDManager manager = NDManager.newBaseManager()) {
            CifarResNet18 net = new CifarResNet18(width);
            Shape shape = new Shape(batch, 3, 32, 32);
            net.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore store = new ParameterStore(manager, false);
            long total = 0;
            for (int i = -WARM_UP; i < iterations; i++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = step.randomNormal(shape);
                    long t0 = System.nanoTime();
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray y = net.forward(store, new NDList(x), true).singletonOrThrow();
                        collector.backward(y.mean());
                    }
                    if (i >= 0) {
                        total += System.nanoTime() - t0;
                    }
                }
            }
            return total / 1e9 / iterations;
        }
    }
}
