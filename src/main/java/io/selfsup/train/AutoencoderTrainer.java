package io.selfsup.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import io.selfsup.SelfsupException;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.nn.Autoencoder;
import io.selfsup.report.LossChart;
import io.selfsup.report.ReconstructionGrid;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the autoencoder to reconstruct its input: MSE, Adam as PyTorch computes it, batches reshuffled each
 * epoch. Several devices train data-parallel through DJL's trainer: the batch is split, every part runs on
 * its device, and the parameter server sums the gradients, which the per-part loss weights make equal to the
 * whole batch's MSE gradient.
 */
public final class AutoencoderTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(AutoencoderTrainer.class);

    private final TrainConfig config;
    private final Device[] devices;

    public AutoencoderTrainer(TrainConfig config, Device[] devices) {
        this.config = config;
        this.devices = devices.clone();
    }

    /**
     * Runs epochs {@code firstEpoch}..epochs, writing metrics and a checkpoint to {@code run} after each; with
     * {@code firstEpoch} > 1 it continues from that run's checkpoint of epoch firstEpoch - 1, exactly where
     * an uninterrupted run would be (same weights, optimizer moments and steps, same shuffles).
     *
     * @param test held-out images for the test loss, or null
     */
    public List<EpochResult> train(ImageStore train, ImageStore test, RunDirectory run, int firstEpoch,
                                   Consumer<EpochResult> onEpoch) {
        Engine.getInstance().setRandomSeed((int) config.seed());
        Autoencoder net = new Autoencoder();
        TorchAdam optimizer = TorchAdam.builder().optLearningRate(config.learningRate()).build();
        List<EpochResult> results = new ArrayList<>();
        try (Model model = Model.newInstance("autoencoder", devices[0])) {
            model.setBlock(net);
            if (firstEpoch > 1) {
                // parameters that exist before the trainer initializes the block are kept, not re-drawn
                net.initialize(model.getNDManager(), DataType.FLOAT32, Autoencoder.inputShape(config.batchSize()));
                RunDirectory.readParameters(run.checkpoint(firstEpoch - 1, RunDirectory.PARAMS_SUFFIX), net,
                        model.getNDManager());
            }
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(new MseLoss())
                    .optOptimizer(optimizer)
                    .optDevices(devices);
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(Autoencoder.inputShape(config.batchSize()));
                List<String> parameterIds = net.getParameters().values().stream().map(Parameter::getId).toList();
                if (firstEpoch > 1) {
                    restoreOptimizer(run, firstEpoch - 1, optimizer, parameterIds, trainer.getManager());
                }
                BatchLoader loader = new BatchLoader(train, config.batchSize());
                BatchLoader testLoader = test == null ? null : new BatchLoader(test, config.batchSize());
                for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                    long start = System.nanoTime();
                    double trainLoss = trainEpoch(trainer, loader, train.size(), epoch);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double testLoss = testLoader == null ? Double.NaN : testLoss(trainer, testLoader, test.size());
                    EpochResult result = new EpochResult(epoch, config.epochs(), trainLoss, testLoss, seconds,
                            train.size() / seconds);
                    run.writeCheckpoint(epoch, net, os -> optimizer.saveState(new DataOutputStream(os), parameterIds));
                    run.appendMetrics(result);
                    results.add(result);
                    onEpoch.accept(result);
                }
                run.writeFinalModel(net);
                run.writePicture("reconstructions.png", reconstructions(trainer, test != null ? test : train));
                run.writeText("loss.svg", LossChart.render(run.readMetrics(config.epochs())));
            }
        }
        return results;
    }

    /** The first few images and the trained model's reconstructions of them. */
    private BufferedImage reconstructions(Trainer trainer, ImageStore images) {
        int n = Math.min(8, images.size());
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = new BatchLoader(images, n).load(batch, EpochOrder.sequential(n), 0, n, devices[0]);
            NDArray y = trainer.evaluate(new NDList(x)).singletonOrThrow();
            return ReconstructionGrid.render(x.toDevice(Device.cpu(), false), y.toDevice(Device.cpu(), false));
        }
    }

    private static void restoreOptimizer(RunDirectory run, int epoch, TorchAdam optimizer, List<String> parameterIds,
                                         NDManager manager) {
        Path state = run.checkpoint(epoch, RunDirectory.OPTIMIZER_SUFFIX);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(state)))) {
            optimizer.loadState(in, parameterIds, manager);
        } catch (IOException e) {
            throw new SelfsupException("cannot read the optimizer state " + state + " (" + e.getMessage()
                    + "); the run cannot be resumed from epoch " + epoch, e);
        }
        LOG.info("resuming after epoch {} from {}", epoch, run.path());
    }

    private double trainEpoch(Trainer trainer, BatchLoader loader, int size, int epoch) {
        int[] order = EpochOrder.shuffled(size, config.seed(), epoch);
        double lossSum = 0;
        for (int from = 0; from < size; from += config.batchSize()) {
            int to = Math.min(size, from + config.batchSize());
            if (epoch == 1 && from == 0) {
                logFirstBatch();
            }
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                NDList parts = DataParallel.split(loader.load(batchManager, order, from, to,
                        devices.length == 1 ? devices[0] : Device.cpu()), devices);
                lossSum += trainBatch(trainer, parts, to - from);
            }
            if (Double.isNaN(lossSum) || Double.isInfinite(lossSum)) {
                throw new SelfsupException("the loss diverged (" + lossSum + ") in epoch " + epoch + " at image "
                        + from + "; lower --lr");
            }
        }
        return lossSum / size;
    }

    /** One optimizer step on a batch; returns the summed (not mean) loss of its images. */
    private static double trainBatch(Trainer trainer, NDList parts, int batchSize) {
        double lossSum = 0;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (NDArray x : parts) {
                NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray loss = trainer.getLoss().evaluate(new NDList(x), new NDList(prediction));
                collector.backward(parts.size() == 1 ? loss : loss.mul(DataParallel.weight(x, batchSize)));
                lossSum += loss.getFloat() * x.getShape().get(0);
            }
        }
        trainer.step();
        return lossSum;
    }

    private double testLoss(Trainer trainer, BatchLoader loader, int size) {
        int[] order = EpochOrder.sequential(size);
        double lossSum = 0;
        for (int from = 0; from < size; from += config.batchSize()) {
            int to = Math.min(size, from + config.batchSize());
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                NDArray x = loader.load(batchManager, order, from, to, devices[0]);
                NDArray prediction = trainer.evaluate(new NDList(x)).singletonOrThrow();
                lossSum += trainer.getLoss().evaluate(new NDList(x), new NDList(prediction)).getFloat() * (to - from);
            }
        }
        return lossSum / size;
    }

    private static void logFirstBatch() {
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        LOG.info("first training batch starts {} s after the JVM started (at {})",
                String.format("%.2f", sinceStart / 1e3), java.time.Instant.now());
    }
}
