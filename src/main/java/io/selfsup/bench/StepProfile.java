package io.selfsup.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.DataSources;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.nn.Autoencoder;
import io.selfsup.nn.ConvTransposeAlgorithm;
import io.selfsup.nn.ShuffleConvTranspose;
import io.selfsup.nn.SubPixelConvTranspose;
import io.selfsup.nn.ZeroInsertionConvTranspose;
import io.selfsup.cli.Logging;
import io.selfsup.engine.EngineSettings;
import io.selfsup.method.MseLoss;
import io.selfsup.optim.TorchAdam;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where one training step's time goes: batch assembly + normalization, forward, loss, backward, optimizer
 * step, in milliseconds per batch of 64 at steady state, for a deconvolution algorithm and thread count.
 * CPU ops in PyTorch's eager mode are synchronous, so wall time per phase is the phase's cost.
 *
 * <p>Usage: {@code scripts/bench-step [DATA_DIR] [batches] [threads] [zero|subpixel|shuffle]}
 */
public final class StepProfile {

    /** One training step's floating-point operations per image (design notes: forward 18.35 M multiply-adds,
     * backward twice that less the first layer's input gradient). */
    static final double FLOP_PER_IMAGE = 108.5e6;

    /** Sustained float32 matrix-product speed of the engine, the ceiling any convolution can reach. */
    static double gemmGflops(NDManager parent) {
        try (NDManager manager = parent.newSubManager()) {
            NDArray a = manager.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(2048, 2048));
            NDArray b = manager.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(2048, 2048));
            a.matMul(b).getFloat(0, 0);
            int reps = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray c = a.matMul(b);
                    c.attach(step);
                    c.getFloat(0, 0);
                }
            }
            return reps * 2.0 * 2048 * 2048 * 2048 / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
    }

    public static void main(String[] args) {
        Logging.configure(false);
        Path data = Path.of(args.length > 0 ? args[0] : "data/cifar10-mini");
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int threads = EngineSettings.apply(args.length > 2 ? Integer.parseInt(args[2]) : 0);
        ConvTransposeAlgorithm algorithm = switch (args.length > 3 ? args[3] : "shuffle") {
            case "zero" -> new ZeroInsertionConvTranspose();
            case "subpixel" -> new SubPixelConvTranspose();
            default -> new ShuffleConvTranspose();
        };
        ImageStore train = DataSources.open(data).load(Split.TRAIN);
        int batch = 64;
        int warmup = 20;
        double[] ms = new double[5];
        try (Model model = Model.newInstance("profile", Device.cpu())) {
            model.setBlock(new Autoencoder(algorithm));
            DefaultTrainingConfig config = new DefaultTrainingConfig(new MseLoss())
                    .optOptimizer(TorchAdam.builder().build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(Autoencoder.inputShape(batch));
                BatchLoader loader = new BatchLoader(train, batch);
                int[] order = EpochOrder.shuffled(train.size(), 0, 1);
                int perEpoch = train.size() / batch;
                long total = 0;
                for (int i = 0; i < warmup + batches; i++) {
                    int from = (i % perEpoch) * batch;
                    long t0 = System.nanoTime();
                    long t1;
                    long t2;
                    long t3;
                    try (NDManager step = trainer.getManager().newSubManager()) {
                        NDArray x = loader.load(step, order, from, from + batch, Device.cpu());
                        t1 = System.nanoTime();
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray y = trainer.forward(new NDList(x)).singletonOrThrow();
                            t2 = System.nanoTime();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(x), new NDList(y));
                            loss.getFloat();
                            t3 = System.nanoTime();
                            collector.backward(loss);
                        }
                    }
                    long t4 = System.nanoTime();
                    trainer.step();
                    long t5 = System.nanoTime();
                    if (i >= warmup) {
                        ms[0] += (t1 - t0) / 1e6;
                        ms[1] += (t2 - t1) / 1e6;
                        ms[2] += (t3 - t2) / 1e6;
                        ms[3] += (t4 - t3) / 1e6;
                        ms[4] += (t5 - t4) / 1e6;
                        total += t5 - t0;
                    }
                }
                String[] names = {"batch + normalize", "forward", "loss", "backward", "optimizer step"};
                System.out.printf(Locale.ROOT, "engine %s %s, %d thread(s), %s, %d batches of %d after %d warm-up%n",
                        Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), threads, algorithm,
                        batches, batch, warmup);
                for (int p = 0; p < names.length; p++) {
                    System.out.printf(Locale.ROOT, "  %-18s %7.2f ms/batch %5.1f%%%n", names[p], ms[p] / batches,
                            100 * ms[p] / (total / 1e6));
                }
                double imagesPerSecond = batch * batches / (total / 1e9);
                System.out.printf(Locale.ROOT, "  %-18s %7.2f ms/batch -> %.0f images/s%n", "total",
                        total / 1e6 / batches, imagesPerSecond);
                double gflops = gemmGflops(trainer.getManager());
                double ceiling = gflops * 1e9 / FLOP_PER_IMAGE;
                System.out.printf(Locale.ROOT, "  GEMM 2048^3 on this engine: %.0f GFLOP/s -> ceiling %.0f images/s "
                        + "(%.1f MFLOP per image); this step reaches %.0f%% of it%n", gflops, ceiling,
                        FLOP_PER_IMAGE / 1e6, 100 * imagesPerSecond / ceiling);
            }
        }
    }
}
