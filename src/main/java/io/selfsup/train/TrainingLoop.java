package io.selfsup.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.selfsup.SelfsupException;
import io.selfsup.StoppedException;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.data.ViewBatches;
import io.selfsup.method.PretextMethod;
import io.selfsup.optim.LearningRateSchedule;
import io.selfsup.optim.StatefulOptimizer;
import io.selfsup.run.Checkpoint;
import io.selfsup.run.CheckpointState;
import io.selfsup.run.EpochResult;
import io.selfsup.run.ParameterFiles;
import io.selfsup.run.RunDirectory;
import io.selfsup.train.TrainingListener.BatchEnd;
import io.selfsup.train.TrainingListener.EpochBegin;
import io.selfsup.train.TrainingListener.EpochEnd;
import io.selfsup.train.TrainingListener.EpochLoss;
import io.selfsup.weights.WeightContent;
import io.selfsup.weights.WeightFormat;
import io.selfsup.weights.WeightImport;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop of every method, in the shape of DJL's EasyTrain: epochs of shuffled batches, each
 * batch's views ({@link ViewBatches}), the optimizer step at its per-step learning rate, and an exact resume
 * from an epoch's end or from within one. Everything around the steps is a {@link TrainingListener}, called in
 * the order of its list: the augmentation sheet, the start-up time, the progress line, checkpoints, metrics.csv,
 * the caller's per-epoch callback, the final pictures. After each epoch the loop measures the test loss
 * ({@link TestLoss}) and the kNN accuracy ({@link KnnMonitor}), which are part of the epoch's result the
 * listeners receive. A non-finite loss is handled by the epoch's {@link LossCheck}. Several devices train
 * data-parallel ({@link ReplicatedStep}) when the method's loss is a mean over images: the batch is split,
 * every part runs on a replica of the network on its device, and one optimizer update on the first device
 * applies the gradients of all parts, summed.
 */
public final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private final TrainConfig config;
    private final Device[] devices;
    private final boolean deferLossCheck;

    /** Checks each batch's loss at once on the CPU, where that costs nothing; on a GPU when it is read. */
    public TrainingLoop(TrainConfig config, Device[] devices) {
        this(config, devices, devices[0].isGpu());
    }

    /**
     * @param deferLossCheck false: each batch's loss is read after its forward pass, and a non-finite one is
     *     skipped ({@link DivergenceGuard}); true: nothing waits for the device batch by batch, and the running
     *     loss is checked whenever it is read ({@link DeferredLossCheck}). The GPU's way; the tests run it on
     *     the CPU.
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
        ViewBatches batches = new ViewBatches(train, method.views(), config.batchSize(), config.seed());
        int stepsPerEpoch = batches.batchesPerEpoch();
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
                KnnMonitor knn = KnnMonitor.create(train, test, method, config.method(), config.batchSize());
                TestLoss heldOutLoss = test == null ? null
                        : new TestLoss(test, method.views(), config.batchSize(), config.seed(), devices[0]);
                Consumer<CheckpointState> checkpoint = state -> run.checkpoints().write(state, method.network(),
                        os -> stateful.saveState(new DataOutputStream(os), parameterIds));
                List<TrainingListener> listeners = List.of(
                        new AugmentationSheetListener(batches, trainer.getManager(), run),
                        new StartupTimeListener(),
                        new ProgressListener(control.progress(), System.err, System::nanoTime),
                        new CheckpointListener(checkpoint, control.checkpointEvery(), System::nanoTime),
                        new MetricsListener(run),
                        TrainingListener.atEpochEnd(onEpoch),
                        new ResultPicturesListener(run, method, trainer, test != null ? test : train, devices[0],
                                config.epochs()));
                ReplicatedStep replicated = new ReplicatedStep(method.network(), method.loss(), optimizer, devices);
                EpochRun epochRun = new EpochRun(trainer, replicated, method, stateful, batches, schedule, totalSteps,
                        control, listeners, run);
                List<String> metrics = from == null ? List.of() : from.state().metrics();
                listeners.forEach(l -> l.onTrainingBegin(from == null));
                control.onTrainingStarted().run();
                for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                    CheckpointState within = from != null && epoch == firstEpoch && from.state().midEpoch()
                            ? from.state() : null;
                    double[] lossAndSeconds = epochRun.train(epoch, within, metrics);
                    double seconds = lossAndSeconds[1];
                    double testLoss = heldOutLoss == null ? Double.NaN : heldOutLoss.measure(trainer);
                    double accuracy = knn == null ? Double.NaN : knn.accuracy(trainer.getManager(), devices[0]);
                    EpochResult result = new EpochResult(epoch, config.epochs(), lossAndSeconds[0], testLoss, seconds,
                            batches.imagesPerEpoch() / seconds, accuracy);
                    metrics = Stream.concat(metrics.stream(), Stream.of(result.csvRow())).toList();
                    EpochEnd end = new EpochEnd(result, metrics);
                    listeners.forEach(l -> l.onEpochEnd(end));
                    results.add(result);
                    if (epoch < config.epochs() && control.stopRequested().getAsBoolean()) {
                        throw stopped(run, "stopped after epoch " + epoch + " of " + config.epochs());
                    }
                }
                listeners.forEach(TrainingListener::onTrainingEnd);
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

    /** One epoch's batches: views, steps, running loss, and the listeners after each batch. */
    private final class EpochRun {

        private final Trainer trainer;
        private final ReplicatedStep replicated;
        private final PretextMethod method;
        private final StatefulOptimizer optimizer;
        private final ViewBatches batches;
        private final LearningRateSchedule schedule;
        private final long totalSteps;
        private final TrainingControl control;
        private final List<TrainingListener> listeners;
        private final RunDirectory run;

        EpochRun(Trainer trainer, ReplicatedStep replicated, PretextMethod method, StatefulOptimizer optimizer,
                 ViewBatches batches, LearningRateSchedule schedule, long totalSteps, TrainingControl control,
                 List<TrainingListener> listeners, RunDirectory run) {
            this.trainer = trainer;
            this.replicated = replicated;
            this.method = method;
            this.optimizer = optimizer;
            this.batches = batches;
            this.schedule = schedule;
            this.totalSteps = totalSteps;
            this.control = control;
            this.listeners = listeners;
            this.run = run;
        }

        /**
         * Trains epoch {@code epoch}, from its start or from a mid-epoch checkpoint; returns its mean loss and
         * training seconds. {@code metrics} are the rows of the complete epochs, for a checkpoint to carry.
         */
        double[] train(int epoch, CheckpointState within, List<String> metrics) {
            int[] order = EpochOrder.shuffled(batches.size(), config.seed(), epoch);
            int firstBatch = within == null ? 0 : within.batch();
            double earlierSeconds = within == null ? 0 : within.seconds();
            int steps = batches.batchesPerEpoch();
            long images = batches.imagesPerEpoch();
            LossCheck check = deferLossCheck ? new DeferredLossCheck(epoch, run.path())
                    : new DivergenceGuard(epoch, method.network());
            EpochBegin begin = new EpochBegin(epoch, config.epochs(), firstBatch, steps, images,
                    Math.min(images, (long) firstBatch * config.batchSize()));
            listeners.forEach(l -> l.onEpochBegin(begin));
            long start = System.nanoTime();
            DoubleSupplier seconds = () -> earlierSeconds + (System.nanoTime() - start) / 1e9;
            try (RunningLoss loss = new RunningLoss(trainer.getManager(), devices[0],
                    within == null ? 0f : within.lossSum(), within == null ? 0 : within.lossImages())) {
                CheckedLoss checked = new CheckedLoss(loss, check);
                for (int b = firstBatch; b < steps; b++) {
                    int from = batches.firstImage(b);
                    int to = batches.endImage(b);
                    long step = (long) (epoch - 1) * steps + b;
                    optimizer.setLearningRate((float) schedule.at(step));
                    try (NDManager batchManager = trainer.getManager().newSubManager()) {
                        Device staging = devices.length == 1 ? devices[0] : Device.cpu();
                        NDList views = batches.views(batchManager, order, from, to, epoch, b, staging);
                        NDArray batchLoss;
                        try (ReplicatedStep.Pass pass = replicated.forward(batchManager, views)) {
                            batchLoss = check.step(pass, views, from);
                        }
                        if (batchLoss != null) {
                            loss.add(batchLoss, to - from);
                        }
                    }
                    method.afterStep(step + 1, totalSteps);
                    BatchEnd end = new BatchEnd(epoch, b, steps, to, control.stopRequested().getAsBoolean(), metrics,
                            checked, seconds);
                    listeners.forEach(l -> l.onBatchEnd(end));
                    if (end.stops()) {
                        listeners.forEach(l -> l.onStop(end));
                        throw stopped(run, "stopped after batch " + (b + 1) + " of epoch " + epoch + " (" + (b + 1)
                                + " of " + steps + " batches)");
                    }
                }
                if (loss.images() == 0) {
                    throw new SelfsupException("every batch of epoch " + epoch + " gave a non-finite loss; lower --lr");
                }
                double mean = (double) checked.sum(images) / loss.images();
                return new double[] {mean, seconds.getAsDouble()};
            }
        }
    }

    /** The running loss as listeners read it: through the epoch's loss check. */
    private record CheckedLoss(RunningLoss running, LossCheck check) implements EpochLoss {

        @Override
        public long images() {
            return running.images();
        }

        @Override
        public float sum(long upTo) {
            return check.read(running.sum(), upTo);
        }
    }
}
