package io.selfsup.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.selfsup.ProgressLine;
import io.selfsup.SelfsupException;
import io.selfsup.StoppedException;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.data.augment.ViewAugmenter;
import io.selfsup.method.PretextMethod;
import io.selfsup.optim.LearningRateSchedule;
import io.selfsup.optim.StatefulOptimizer;
import io.selfsup.report.AugmentationSheet;
import io.selfsup.report.LossChart;
import io.selfsup.run.Checkpoint;
import io.selfsup.run.CheckpointState;
import io.selfsup.run.EpochResult;
import io.selfsup.run.ParameterFiles;
import io.selfsup.run.RunDirectory;
import io.selfsup.weights.WeightContent;
import io.selfsup.weights.WeightFormat;
import io.selfsup.weights.WeightImport;
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
 * The one training loop of every method: epochs of shuffled batches, the method's views and loss, the
 * optimizer with its per-step learning rate, a checkpoint and a metrics row per epoch, and an exact resume.
 * Several devices train data-parallel ({@link ReplicatedStep}) when the method's loss is a mean over images: the
 * batch is split, every part runs on a replica of the network on its device, and one optimizer update on the
 * first device applies the gradients of all parts, summed.
 */
public final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    /** Test images a view-based method's test loss is measured on: its cost stays a few % of an epoch. */
    static final int VIEW_TEST_IMAGES = 2048;
    private static final long TEST_VIEW_SEED = 0x7E57L;

    private final TrainConfig config;
    private final Device[] devices;
    private final boolean deferLossCheck;

    /** Checks each batch's loss at once on the CPU, where that costs nothing; on a GPU when it is read. */
    public TrainingLoop(TrainConfig config, Device[] devices) {
        this(config, devices, devices[0].isGpu());
    }

    /**
     * @param deferLossCheck false: each batch's loss is read after its forward pass, and a non-finite one is
     *     skipped (the guard); true: nothing waits for the device batch by batch, and the running loss is checked
     *     whenever it is read (progress line, checkpoint, epoch end): a non-finite one stops the run there,
     *     before anything is written from the parameters it spoiled, and --resume continues from the last
     *     checkpoint. The GPU's way; the tests run it on the CPU.
     */
    TrainingLoop(TrainConfig config, Device[] devices, boolean deferLossCheck) {
        this.config = config;
        this.devices = devices.clone();
        this.deferLossCheck = deferLossCheck;
    }

    /**
     * Runs the epochs from {@code from} (null: a new run) to the last, writing metrics and a checkpoint to
     * {@code run} after each and mid-epoch checkpoints as {@code control} asks; a resumed run continues exactly
     * where an uninterrupted one would be (same weights, optimizer state, learning rate, shuffles, views and
     * running loss), from an epoch's end or from within an epoch.
     *
     * @param test held-out images for the test loss and the kNN monitor, or null
     * @throws StoppedException when {@code control} asked to stop; a checkpoint was written first
     */
    public List<EpochResult> train(ImageStore train, ImageStore test, RunDirectory run, Checkpoint from,
                                   TrainingControl control, Consumer<EpochResult> onEpoch) {
        Engine.getInstance().setRandomSeed((int) config.seed());
        PretextMethod method = config.method().create();
        Optimizer optimizer = config.optimizer().create();
        StatefulOptimizer stateful = (StatefulOptimizer) optimizer;
        int stepsPerEpoch = stepsPerEpoch(train.size(), method);
        // a run of 0 epochs (imported weights only) takes no step but still builds its schedule
        long totalSteps = Math.max(1, (long) stepsPerEpoch * config.epochs());
        LearningRateSchedule schedule = config.optimizer().schedule(stepsPerEpoch, totalSteps);
        List<EpochResult> results = new ArrayList<>();
        int firstEpoch = from == null ? 1 : from.state().epoch();
        try (Model model = Model.newInstance(config.method().id(), devices[0])) {
            model.setBlock(method.network());
            if (from != null) {
                // parameters that exist before the trainer initializes the block are kept, not re-drawn
                method.network().initialize(model.getNDManager(), DataType.FLOAT32,
                        method.inputShapes(config.batchSize()));
                ParameterFiles.read(from.parameters(), method.network(), model.getNDManager());
            }
            WeightContent imported = null;
            if (from == null && config.initFrom() != null) {
                method.network().initialize(model.getNDManager(), DataType.FLOAT32,
                        method.inputShapes(config.batchSize()));
                imported = WeightImport.apply(WeightFormat.read(config.initFrom()), method, config.method(),
                        config.initFrom());
                LOG.info("starting from the {} in {}", imported == WeightContent.ALL ? "whole network" : "backbone",
                        config.initFrom());
            }
            // the trainer holds the parameters on the first device; ReplicatedStep makes the other devices' copies
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(method.loss())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {devices[0]});
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(method.inputShapes(config.batchSize()));
                List<String> parameterIds = method.network().getParameters().values().stream()
                        .map(Parameter::getId).toList();
                if (from != null) {
                    restoreOptimizer(run, from, stateful, parameterIds, trainer.getManager());
                } else if (imported != WeightContent.ALL) {
                    // a whole imported network brings its own derived parts (BYOL's target); others are derived here
                    method.afterInitialize();
                }
                Batches batches = new Batches(method, train, config.batchSize(), config.seed());
                if (from == null && !method.viewRecipes().isEmpty()) {
                    run.writePicture("augmentations.png", batches.sheet(trainer.getManager()));
                }
                KnnMonitor knn = KnnMonitor.create(train, test, method, config.method(), config.batchSize());
                Batches testBatches = test == null ? null : new Batches(method, testImages(method, test),
                        config.batchSize(), config.seed() ^ TEST_VIEW_SEED);
                List<String> rows = new ArrayList<>(from == null ? List.of() : from.state().metrics());
                Consumer<CheckpointState> checkpoint = state -> run.checkpoints().write(state, method.network(),
                        os -> stateful.saveState(new DataOutputStream(os), parameterIds));
                ReplicatedStep replicated = new ReplicatedStep(method.network(), method.loss(), optimizer, devices);
                EpochRun epochRun = new EpochRun(trainer, replicated, method, stateful, batches, schedule,
                        stepsPerEpoch, totalSteps, control, checkpoint, run);
                control.onTrainingStarted().run();
                for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                    CheckpointState within = from != null && epoch == firstEpoch && from.state().midEpoch()
                            ? from.state() : null;
                    double[] lossAndSeconds = epochRun.train(epoch, within, rows);
                    double seconds = lossAndSeconds[1];
                    double testLoss = test == null ? Double.NaN : testLoss(trainer, method, testBatches);
                    double accuracy = knn == null ? Double.NaN : knn.accuracy(trainer.getManager(), devices[0]);
                    EpochResult result = new EpochResult(epoch, config.epochs(), lossAndSeconds[0], testLoss, seconds,
                            imagesPerEpoch(train.size(), method) / seconds, accuracy);
                    rows.add(result.csvRow());
                    checkpoint.accept(CheckpointState.afterEpoch(epoch, rows));
                    run.writeMetrics(rows);
                    results.add(result);
                    onEpoch.accept(result);
                    if (epoch < config.epochs() && control.stopRequested().getAsBoolean()) {
                        throw stopped(run, "stopped after epoch " + epoch + " of " + config.epochs());
                    }
                }
                BufferedImage picture = resultPicture(trainer, method, test != null ? test : train);
                if (picture != null) {
                    run.writePicture("reconstructions.png", picture);
                }
                if (config.epochs() > 0) {
                    run.writeText("loss.svg", LossChart.render(run.readMetrics(config.epochs())));
                }
                // last: a run with model.params is complete, one without it is resumed to write its outputs
                run.writeFinalModel(method.network());
            }
        }
        return results;
    }

    private static StoppedException stopped(RunDirectory run, String what) {
        return new StoppedException(what + "; checkpoint written to " + run.path().resolve(RunDirectory.CHECKPOINTS),
                run.path());
    }

    /**
     * Batches per epoch. View-based methods drop the last partial batch, as the PyTorch recipes do: a handful
     * of images makes a poor contrastive batch and poor batch-norm statistics.
     */
    int stepsPerEpoch(int images, PretextMethod method) {
        int full = images / config.batchSize();
        if (method.viewRecipes().isEmpty() || full == 0) {
            return (images + config.batchSize() - 1) / config.batchSize();
        }
        return full;
    }

    private int imagesPerEpoch(int images, PretextMethod method) {
        return Math.min(images, stepsPerEpoch(images, method) * config.batchSize());
    }

    private BufferedImage resultPicture(Trainer trainer, PretextMethod method, ImageStore images) {
        int n = Math.min(8, images.size());
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = new BatchLoader(images, n).load(batch, EpochOrder.sequential(n), 0, n, devices[0]);
            return method.resultPicture(x, trainer::evaluate);
        }
    }

    private static void restoreOptimizer(RunDirectory run, Checkpoint from,
                                         StatefulOptimizer optimizer, List<String> parameterIds, NDManager manager) {
        Path state = from.optimizer();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(state)))) {
            optimizer.loadState(in, parameterIds, manager);
        } catch (IOException e) {
            throw new SelfsupException("cannot read the optimizer state " + state + " (" + e.getMessage()
                    + "); the run cannot be resumed from " + from.state().describe(), e);
        }
        LOG.info("resuming after {} from {}", from.state().describe(), run.path());
    }

    /** One epoch's batches, its running loss, progress line and mid-epoch checkpoints. */
    private final class EpochRun {

        private final Trainer trainer;
        private final ReplicatedStep replicated;
        private final PretextMethod method;
        private final StatefulOptimizer optimizer;
        private final Batches batches;
        private final LearningRateSchedule schedule;
        private final int stepsPerEpoch;
        private final long totalSteps;
        private final TrainingControl control;
        private final Consumer<CheckpointState> checkpoint;
        private final RunDirectory run;
        private long lastCheckpoint = System.nanoTime();

        EpochRun(Trainer trainer, ReplicatedStep replicated, PretextMethod method, StatefulOptimizer optimizer,
                 Batches batches, LearningRateSchedule schedule, int stepsPerEpoch, long totalSteps,
                 TrainingControl control, Consumer<CheckpointState> checkpoint, RunDirectory run) {
            this.trainer = trainer;
            this.replicated = replicated;
            this.method = method;
            this.optimizer = optimizer;
            this.batches = batches;
            this.schedule = schedule;
            this.stepsPerEpoch = stepsPerEpoch;
            this.totalSteps = totalSteps;
            this.control = control;
            this.checkpoint = checkpoint;
            this.run = run;
        }

        /**
         * Trains epoch {@code epoch}, from its start or from a mid-epoch checkpoint; returns its mean loss and
         * training seconds. {@code rows} are the metrics of the complete epochs, for a checkpoint to carry.
         */
        double[] train(int epoch, CheckpointState within, List<String> rows) {
            int[] order = EpochOrder.shuffled(batches.size(), config.seed(), epoch);
            int firstBatch = within == null ? 0 : within.batch();
            double earlierSeconds = within == null ? 0 : within.seconds();
            long imagesPerEpoch = imagesPerEpoch(batches.size(), method);
            DivergenceGuard guard = new DivergenceGuard(epoch);
            ProgressLine progress = new ProgressLine("epoch " + epoch + "/" + config.epochs(), imagesPerEpoch,
                    Math.min(imagesPerEpoch, (long) firstBatch * config.batchSize()), control.progress(), System.err,
                    System::nanoTime);
            long start = System.nanoTime();
            try (RunningLoss loss = new RunningLoss(trainer.getManager(), devices[0],
                    within == null ? 0f : within.lossSum(), within == null ? 0 : within.lossImages())) {
                for (int b = firstBatch; b < stepsPerEpoch; b++) {
                    int from = b * config.batchSize();
                    int to = Math.min(batches.size(), from + config.batchSize());
                    if (epoch == 1 && b == 0) {
                        logFirstBatch();
                    }
                    long step = (long) (epoch - 1) * stepsPerEpoch + b;
                    optimizer.setLearningRate((float) schedule.at(step));
                    try (NDManager batchManager = trainer.getManager().newSubManager()) {
                        Device staging = devices.length == 1 ? devices[0] : Device.cpu();
                        NDList views = batches.views(batchManager, order, from, to, epoch, b, staging);
                        NDArray batchLoss = deferLossCheck ? trainBatchUnchecked(replicated, batchManager, views)
                                : trainBatch(replicated, batchManager, views, guard, from,
                                        trainer.getModel().getBlock());
                        if (batchLoss != null) {
                            loss.add(batchLoss, to - from);
                        }
                    }
                    method.afterStep(step + 1, totalSteps);
                    if (progress.due(to)) {
                        progress.report(to, loss.images() == 0 ? Double.NaN
                                : (double) checkedSum(loss, epoch, to) / loss.images());
                    }
                    boolean stop = control.stopRequested().getAsBoolean();
                    if (b + 1 < stepsPerEpoch && (stop || checkpointDue())) {
                        double seconds = earlierSeconds + (System.nanoTime() - start) / 1e9;
                        CheckpointState state = new CheckpointState(epoch, b + 1, checkedSum(loss, epoch, to),
                                loss.images(), seconds, rows);
                        checkpoint.accept(state);
                        lastCheckpoint = System.nanoTime();
                        if (stop) {
                            progress.finish();
                            throw stopped(run, "stopped after " + state.describe() + " (" + (b + 1) + " of "
                                    + stepsPerEpoch + " batches)");
                        }
                    }
                }
                progress.finish();
                if (loss.images() == 0) {
                    throw new SelfsupException("every batch of epoch " + epoch + " gave a non-finite loss; lower --lr");
                }
                double mean = (double) checkedSum(loss, epoch, imagesPerEpoch) / loss.images();
                return new double[] {mean, earlierSeconds + (System.nanoTime() - start) / 1e9};
            }
        }

        /** The running loss; with deferred checks, a non-finite one ends the run before anything is written. */
        private float checkedSum(RunningLoss loss, int epoch, long upTo) {
            float sum = loss.sum();
            if (deferLossCheck && !Float.isFinite(sum)) {
                throw new SelfsupException("the loss stopped being finite (" + sum + ") in epoch " + epoch
                        + " before image " + upTo + "; the parameters since the last checkpoint are lost: lower --lr, "
                        + "or --resume " + run.path() + " from that checkpoint");
            }
            return sum;
        }

        private boolean checkpointDue() {
            long every = control.checkpointEvery().toNanos();
            return every > 0 && System.nanoTime() - lastCheckpoint >= every;
        }
    }

    /**
     * One optimizer step on a batch; returns the summed (not mean) loss of its images as a scalar on the first
     * device (owned by the batch), or null when the loss was not finite and the batch was skipped (no backward,
     * no step) as the guard allows. Deciding to skip reads the loss on the host, after every device's forward
     * pass was queued: free on the CPU, a wait for a GPU, which therefore trains by {@link #trainBatchUnchecked}.
     */
    private static NDArray trainBatch(ReplicatedStep step, NDManager batchManager, NDList views,
                                      DivergenceGuard guard, int firstImage, Block network) {
        try (ReplicatedStep.Pass pass = step.forward(batchManager, views)) {
            NDArray lossSum = pass.lossSum();
            float value = lossSum.getFloat();
            if (!Float.isFinite(value)) {
                guard.skip(firstImage, value, views, network);
                return null;
            }
            guard.passed();
            pass.step();
            return lossSum;
        }
    }

    /** One optimizer step on a batch without waiting for the device; returns its summed loss on the device. */
    private static NDArray trainBatchUnchecked(ReplicatedStep step, NDManager batchManager, NDList views) {
        try (ReplicatedStep.Pass pass = step.forward(batchManager, views)) {
            NDArray lossSum = pass.lossSum();
            pass.step();
            return lossSum;
        }
    }

    /**
     * The mean loss on held-out images in inference mode: all of them for the autoencoder (the article's test
     * loss), the first {@link #VIEW_TEST_IMAGES} with fixed views for view-based methods.
     */
    private double testLoss(Trainer trainer, PretextMethod method, Batches batches) {
        int[] order = EpochOrder.sequential(batches.size());
        int steps = stepsPerEpoch(batches.size(), method);
        double lossSum = 0;
        int counted = 0;
        for (int b = 0; b < steps; b++) {
            int from = b * config.batchSize();
            int to = Math.min(batches.size(), from + config.batchSize());
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                NDList views = batches.views(batchManager, order, from, to, 0, b, devices[0]);
                NDList outputs = trainer.evaluate(views);
                lossSum += trainer.getLoss().evaluate(views, outputs).getFloat() * (to - from);
                counted += to - from;
            }
        }
        return lossSum / counted;
    }

    private static ImageStore testImages(PretextMethod method, ImageStore test) {
        return method.viewRecipes().isEmpty() ? test : test.first(VIEW_TEST_IMAGES);
    }

    private static void logFirstBatch() {
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        LOG.info("first training batch starts {} s after the JVM started (at {})",
                String.format("%.2f", sinceStart / 1e3), java.time.Instant.now());
    }

    /** A method's views of batches of images: the plain normalized images, or one augmented view per recipe. */
    private static final class Batches {

        private final ImageStore images;
        private final BatchLoader plain;
        private final List<ViewAugmenter> augmenters;
        private final long seed;

        Batches(PretextMethod method, ImageStore images, int batchSize, long seed) {
            this.images = images;
            this.plain = new BatchLoader(images, batchSize);
            this.augmenters = method.viewRecipes().stream().map(r -> new ViewAugmenter(r, 32, batchSize)).toList();
            this.seed = seed;
        }

        int size() {
            return images.size();
        }

        /** Views of images order[from..to); random choices depend only on (seed, epoch, batch, view). */
        NDList views(NDManager manager, int[] order, int from, int to, int epoch, int batch, Device device) {
            if (augmenters.isEmpty()) {
                return new NDList(plain.load(manager, order, from, to, device));
            }
            NDList views = new NDList(augmenters.size());
            for (int v = 0; v < augmenters.size(); v++) {
                views.add(augmenters.get(v).load(manager, images, order, from, to,
                        ViewAugmenter.batchSeed(seed, epoch, batch, v), device));
            }
            return views;
        }

        /** The first images of the data and their views, as the first epoch's first batch would draw them. */
        BufferedImage sheet(NDManager parent) {
            int n = Math.min(8, images.size());
            try (NDManager manager = parent.newSubManager()) {
                int[] order = EpochOrder.sequential(n);
                NDList views = views(manager, order, 0, n, 1, 0, Device.cpu());
                NDArray originals = plain.load(manager, order, 0, n, Device.cpu());
                return AugmentationSheet.render(originals, views.get(0), views.get(views.size() - 1));
            }
        }
    }
}
