package io.selfsup.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.selfsup.console.Logging;
import io.selfsup.engine.EngineSettings;
import io.selfsup.nn.ResNet;
import io.selfsup.nn.Stem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Images per second through forward + backward of a ResNet (one view, no optimizer), to size self-supervised runs:
 * by default the CIFAR ResNet-18 at widths 16 and 32 on 32-pixel batches of 256; or the networks named as
 * DEPTH:SIZE:WIDTH:BATCH (resnet18:96:64:64), each with the stem its size gets ({@link Stem#forImageSize}).
 * scripts/bench/torch-resnet-step.py is the PyTorch side, scripts/bench/bench-image-sizes runs both.
 *
 * <p>Usage: {@code SELFSUP_MAIN=io.selfsup.bench.ResNetStepBenchmark scripts/selfsup [iterations] [threads] [batch]
 * [DEPTH:SIZE:WIDTH:BATCH ...]}
 */
public final class ResNetStepBenchmark {

    private static final int DEFAULT_BATCH = 256;
    private static final int WARM_UP = 1;

    private record Network(ResNet.Depth depth, int size, int width, int batch) {

        static Network parse(String text) {
            String[] p = text.split(":");
            return new Network(ResNet.Depth.valueOf(p[0].toUpperCase(Locale.ROOT)), Integer.parseInt(p[1]),
                    Integer.parseInt(p[2]), Integer.parseInt(p[3]));
        }

        Stem stem() {
            return Stem.forImageSize(size);
        }
    }

    private ResNetStepBenchmark() {}

    public static void main(String[] args) {
        Logging.configure(false);
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = EngineSettings.apply(args.length > 1 ? Integer.parseInt(args[1]) : 0);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_BATCH;
        List<Network> networks = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            networks.add(Network.parse(args[i]));
        }
        if (networks.isEmpty()) {
            networks = List.of(new Network(ResNet.Depth.RESNET18, 32, 16, batch),
                    new Network(ResNet.Depth.RESNET18, 32, 32, batch));
        }
        System.out.printf(Locale.ROOT, "engine %s %s, %d intra-op thread(s), %d timed iterations%n",
                Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), threads, iterations);
        for (Network n : networks) {
            double seconds = time(n, iterations);
            System.out.printf(Locale.ROOT, "%s %s stem, %3d px, width %2d, batch %3d: %8.1f ms/step, %7.1f images/s "
                    + "(forward + backward)%n", n.depth().name().toLowerCase(Locale.ROOT), n.stem(), n.size(),
                    n.width(), n.batch(), 1000 * seconds, n.batch() / seconds);
        }
    }

    /** Mean seconds of one forward + backward after warm-up; libtorch on the CPU returns when backward is done. */
    private static double time(Network n, int iterations) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = new ResNet(n.depth(), n.width(), n.stem());
            Shape shape = new Shape(n.batch(), 3, n.size(), n.size());
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
