package io.selfsup.train;

import io.selfsup.optim.StatefulOptimizer;
import io.selfsup.optim.LearningRateSchedule;
import io.selfsup.optim.OptimizerConfig;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.selfsup.console.Logging;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.DataSource;
import io.selfsup.data.DataSources;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.engine.EngineSettings;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;
import io.selfsup.nn.Autoencoder;
import io.selfsup.nn.BackboneType;
import io.selfsup.nn.ConvTransposeAlgorithm;
import io.selfsup.nn.ShuffleConvTranspose;
import io.selfsup.nn.SubPixelConvTranspose;
import io.selfsup.nn.ZeroInsertionConvTranspose;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the autoencoder's training step goes, in milliseconds per batch of 64 at steady state: the batch
 * (gather + normalize), forward + loss up to reading the loss, backward + optimizer update. Each batch takes the
 * path the training loop's batches take on the CPU: the method's network, loss and optimizer with its learning
 * rate set per step, the trainer set up as TrainingLoop sets it up, and {@link ReplicatedStep} on one device,
 * whose pass's loss is read (as the divergence guard reads it) before its step. CPU ops in PyTorch's eager mode
 * are synchronous, so wall time per phase is the phase's cost. Lives in the tests' io.selfsup.train because
 * ReplicatedStep is the package's own; not part of the product.
 *
 * <p>Usage: {@code scripts/bench/bench-step [DATA_DIR] [batches] [threads] [zero|subpixel|shuffle]}; without the
 * last argument the method's own network, with it the same autoencoder on that transposed convolution.
 */
public final class StepProfile {

    private static final int BATCH = 64;
    private static final int WARMUP = 20;

    /** One training step's floating-point operations per image (design notes: forward 18.35 M multiply-adds,
     * backward twice that less the first layer's input gradient). */
    static final double FLOP_PER_IMAGE = 108.5e6;

    private StepProfile() {}

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
        ImageStore train;
        try (DataSource source = DataSources.open(data)) {
            train = source.load(Split.TRAIN);
        }
        Device device = Device.cpu();
        PretextMethod method = MethodConfig.defaults("autoencoder", BackboneType.CONV2, 0).create();
        Block network = args.length > 3 ? new Autoencoder(algorithm(args[3])) : method.network();
        String what = args.length > 3 ? "autoencoder on " + algorithm(args[3]) : "the autoencoder method's network";
        int perEpoch = train.size() / BATCH;
        if (perEpoch == 0) {
            throw new IllegalArgumentException(data + " has fewer than " + BATCH + " training images");
        }
        long totalSteps = (long) WARMUP + batches;
        OptimizerConfig optimizerConfig = OptimizerConfig.defaults(OptimizerConfig.Type.ADAM, BATCH);
        Optimizer optimizer = optimizerConfig.create();
        LearningRateSchedule schedule = optimizerConfig.schedule(perEpoch, totalSteps);
        double[] ms = new double[3];
        try (Model model = Model.newInstance("profile", device)) {
            model.setBlock(network);
            DefaultTrainingConfig config = new DefaultTrainingConfig(method.loss())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(method.inputShapes(BATCH));
                method.afterInitialize();
                ReplicatedStep replicated = new ReplicatedStep(network, method.loss(), optimizer,
                        new Device[] {device});
                BatchLoader loader = new BatchLoader(train, BATCH);
                int[] order = EpochOrder.shuffled(train.size(), 0, 1);
                long total = 0;
                for (int i = 0; i < totalSteps; i++) {
                    int from = (i % perEpoch) * BATCH;
                    long t0 = System.nanoTime();
                    long t1;
                    long t2;
                    ((StatefulOptimizer) optimizer).setLearningRate((float) schedule.at(i));
                    try (NDManager batchManager = trainer.getManager().newSubManager()) {
                        NDList views = new NDList(loader.load(batchManager, order, from, from + BATCH, device));
                        t1 = System.nanoTime();
                        try (ReplicatedStep.Pass pass = replicated.forward(batchManager, views)) {
                            float loss = pass.lossSum().getFloat();
                            if (!Float.isFinite(loss)) {
                                throw new IllegalStateException("the loss of step " + i + " is " + loss);
                            }
                            t2 = System.nanoTime();
                            pass.step();
                        }
                    }
                    method.afterStep(i + 1, totalSteps);
                    long t3 = System.nanoTime();
                    if (i >= WARMUP) {
                        ms[0] += (t1 - t0) / 1e6;
                        ms[1] += (t2 - t1) / 1e6;
                        ms[2] += (t3 - t2) / 1e6;
                        total += t3 - t0;
                    }
                }
                String[] names = {"batch + normalize", "forward + loss", "backward + optimizer step"};
                System.out.printf(Locale.ROOT, "engine %s %s, %d thread(s), %s, %d batches of %d after %d warm-up%n",
                        Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), threads, what,
                        batches, BATCH, WARMUP);
                for (int p = 0; p < names.length; p++) {
                    System.out.printf(Locale.ROOT, "  %-26s %7.2f ms/batch %5.1f%%%n", names[p], ms[p] / batches,
                            100 * ms[p] / (total / 1e6));
                }
                double imagesPerSecond = BATCH * batches / (total / 1e9);
                System.out.printf(Locale.ROOT, "  %-26s %7.2f ms/batch -> %.0f images/s%n", "total",
                        total / 1e6 / batches, imagesPerSecond);
                double gflops = gemmGflops(trainer.getManager());
                double ceiling = gflops * 1e9 / FLOP_PER_IMAGE;
                System.out.printf(Locale.ROOT, "  GEMM 2048^3 on this engine: %.0f GFLOP/s -> ceiling %.0f images/s "
                        + "(%.1f MFLOP per image); this step reaches %.0f%% of it%n", gflops, ceiling,
                        FLOP_PER_IMAGE / 1e6, 100 * imagesPerSecond / ceiling);
            }
        }
    }

    private static ConvTransposeAlgorithm algorithm(String name) {
        return switch (name) {
            case "zero" -> new ZeroInsertionConvTranspose();
            case "subpixel" -> new SubPixelConvTranspose();
            case "shuffle" -> new ShuffleConvTranspose();
            default -> throw new IllegalArgumentException("algorithm must be zero, subpixel or shuffle, got " + name);
        };
    }
}
