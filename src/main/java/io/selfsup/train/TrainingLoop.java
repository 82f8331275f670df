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
import io.selfsup.config.TimeBudget;
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
    private Consumer<TrainConfig> onPlanned = c -> { };

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

    /** Told the run's config once a time budget's steps are fixed, before the first step: to record them. */
    public TrainingLoop onPlanned(Consumer<TrainConfig> listener) {
        this.onPlanned = listener;
        return this;
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
                ReplicatedStep replicated = new ReplicatedStep(method.network(), method.loss(), optimizer, devices);
                Steps steps = new Steps(trainer, replicated, method, stateful, batches);
                TrainConfig planned = config;
                if (config.timeBudget() != null && !config.timeBudget().planned()) {
                    EpochEndCost afterEpoch = () -> {
                        if (heldOutLoss != null) {
                            heldOutLoss.measure(trainer);
                        }
                        if (knn != null) {
                            knn.accuracy(trainer.getManager(), devices[0]);
                        }
                    };
                    TimeBudget budget = new BudgetPlanner(config, control.launched(), control.checkpointEvery())
                            .plan(steps, afterEpoch, method.network(), stateful, parameterIds, stepsPerEpoch);
                    planned = config.withPlannedBudget(budget, BudgetPlanner.epochs(budget.steps(), stepsPerEpoch));
                    planned = planned.withOptimizer(BudgetPlanner.optimizerFor(planned, budget.steps(),
                            stepsPerEpoch));
                    onPlanned.accept(planned);
                }
                // a budget's steps decide its epochs; a run of 0 epochs (imported weights only) takes no step but
                // still builds its schedule
                long totalSteps = planned.timeBudget() != null ? planned.timeBudget().steps()
                        : Math.max(1, (long) stepsPerEpoch * planned.epochs());
                int epochs = planned.timeBudget() != null ? BudgetPlanner.epochs(totalSteps, stepsPerEpoch)
                        : planned.epochs();
                LearningRateSchedule schedule = planned.optimizer().schedule(stepsPerEpoch, totalSteps);
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
                                epochs));
                EpochRun epochRun = new EpochRun(steps, schedule, epochs, totalSteps, control, listeners, run);
                List<String> metrics = from == null ? List.of() : from.state().metrics();
                listeners.forEach(l -> l.onTrainingBegin(from == null));
                control.onTrainingStarted().run();
                for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
                    CheckpointState within = from != null && epoch == firstEpoch && from.state().midEpoch()
                            ? from.state() : null;
                    double[] lossAndSeconds = epochRun.train(epoch, within, metrics);
                    double seconds = lossAndSeconds[1];
                    double testLoss = heldOutLoss == null ? Double.NaN : heldOutLoss.measure(trainer);
                    double accuracy = knn == null ? Double.NaN : knn.accuracy(trainer.getManager(), devices[0]);
                    EpochResult result = new EpochResult(epoch, epochs, lossAndSeconds[0], testLoss, seconds,
                            epochRun.images(epoch) / seconds, accuracy);
                    metrics = Stream.concat(metrics.stream(), Stream.of(result.csvRow())).toList();
                    EpochEnd end = new EpochEnd(result, metrics);
                    listeners.forEach(l -> l.onEpochEnd(end));
                    results.add(result);
                    if (epoch < epochs && control.stopRequested().getAsBoolean()) {
                        throw stopped(run, "stopped after epoch " + epoch + " of " + epochs);
                    }
                }
                listeners.forEach(TrainingListener::onTrainingEnd);
                // last: a run with model.params is complete, one without it is resumed to write its outputs
                run.writeFinalModel(method.network());
                if (planned.timeBudget() != null && from == null) {
                    LOG.info("time budget {}: {} steps done {} after launch", TimeBudget.format(
                            planned.timeBudget().time()), totalSteps, BudgetPlanner.clock(control.launched().elapsedSeconds()));
                }
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

    /** One optimizer step at a time: a batch's views, the forward pass, the loss check, the update. */
    final class Steps {

        private final Trainer trainer;
        private final ReplicatedStep replicated;
        private final PretextMethod method;
        private final StatefulOptimizer optimizer;
        private final ViewBatches batches;

        Steps(Trainer trainer, ReplicatedStep replicated, PretextMethod method, StatefulOptimizer optimizer,
              ViewBatches batches) {
            this.trainer = trainer;
            this.replicated = replicated;
            this.method = method;
            this.optimizer = optimizer;
            this.batches = batches;
        }

        /**
         * Trains batch {@code b} of an epoch in {@code order} at {@code learningRate}, the global step
         * {@code step} (from 0) of {@code totalSteps}; returns the batch's summed loss, or null when it was skipped.
         */
        void take(int epoch, int b, int[] order, long step, long totalSteps, float learningRate, LossCheck check,
                  RunningLoss loss) {
            int from = batches.firstImage(b);
            int to = batches.endImage(b);
            optimizer.setLearningRate(learningRate);
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                Device staging = devices.length == 1 ? devices[0] : Device.cpu();
                NDList views = batches.views(batchManager, order, from, to, epoch, b, staging);
                NDArray batchLoss;
                try (ReplicatedStep.Pass pass = replicated.forward(batchManager, views)) {
                    batchLoss = check.step(pass, views, from);
                }
                if (batchLoss != null && loss != null) {
                    loss.add(batchLoss, to - from);
                }
            }
            method.afterStep(step + 1, totalSteps);
        }

        /** A fresh loss check of {@code epoch}, the device's kind. */
        LossCheck check(int epoch, Path runPath) {
            return deferLossCheck ? new DeferredLossCheck(epoch, runPath) : new DivergenceGuard(epoch, method.network());
        }

        Trainer trainer() {
            return trainer;
        }

        int batchesPerEpoch() {
            return batches.batchesPerEpoch();
        }

        int size() {
            return batches.size();
        }

        int endImage(int batch) {
            return batches.endImage(batch);
        }
    }

    /** What an epoch's end costs beyond its steps (test loss and kNN monitor), run once to be timed. */
    @FunctionalInterface
    interface EpochEndCost {
        void run();
    }

    /** One epoch's batches: steps, running loss, and the listeners after each batch. */
    private final class EpochRun {

        private final Steps steps;
        private final LearningRateSchedule schedule;
        private final int epochs;
        private final long totalSteps;
        private final TrainingControl control;
        private final List<TrainingListener> listeners;
        private final RunDirectory run;

        EpochRun(Steps steps, LearningRateSchedule schedule, int epochs, long totalSteps, TrainingControl control,
                 List<TrainingListener> listeners, RunDirectory run) {
            this.steps = steps;
            this.schedule = schedule;
            this.epochs = epochs;
            this.totalSteps = totalSteps;
            this.control = control;
            this.listeners = listeners;
            this.run = run;
        }

        /** Batches of epoch {@code epoch}: all of an epoch, less what a time budget's last epoch leaves out. */
        int batches(int epoch) {
            long before = (long) (epoch - 1) * steps.batchesPerEpoch();
            return (int) Math.max(0, Math.min(steps.batchesPerEpoch(), totalSteps - before));
        }

        /** Images epoch {@code epoch} trains on. */
        long images(int epoch) {
            return Math.min(steps.size(), (long) batches(epoch) * config.batchSize());
        }

        /**
         * Trains epoch {@code epoch}, from its start or from a mid-epoch checkpoint; returns its mean loss and
         * training seconds. {@code metrics} are the rows of the complete epochs, for a checkpoint to carry.
         */
        double[] train(int epoch, CheckpointState within, List<String> metrics) {
            int[] order = EpochOrder.shuffled(steps.size(), config.seed(), epoch);
            int firstBatch = within == null ? 0 : within.batch();
            double earlierSeconds = within == null ? 0 : within.seconds();
            int batchCount = batches(epoch);
            long images = images(epoch);
            LossCheck check = steps.check(epoch, run.path());
            EpochBegin begin = new EpochBegin(epoch, epochs, firstBatch, batchCount, images,
                    Math.min(images, (long) firstBatch * config.batchSize()));
            listeners.forEach(l -> l.onEpochBegin(begin));
            long start = System.nanoTime();
            DoubleSupplier seconds = () -> earlierSeconds + (System.nanoTime() - start) / 1e9;
            try (RunningLoss loss = new RunningLoss(steps.trainer().getManager(), devices[0],
                    within == null ? 0f : within.lossSum(), within == null ? 0 : within.lossImages())) {
                CheckedLoss checked = new CheckedLoss(loss, check);
                for (int b = firstBatch; b < batchCount; b++) {
                    long step = (long) (epoch - 1) * steps.batchesPerEpoch() + b;
                    steps.take(epoch, b, order, step, totalSteps, (float) schedule.at(step), check, loss);
                    BatchEnd end = new BatchEnd(epoch, b, batchCount, steps.endImage(b),
                            control.stopRequested().getAsBoolean(), metrics, checked, seconds);
                    listeners.forEach(l -> l.onBatchEnd(end));
                    if (end.stops()) {
                        listeners.forEach(l -> l.onStop(end));
                        throw stopped(run, "stopped after batch " + (b + 1) + " of epoch " + epoch + " (" + (b + 1)
                                + " of " + batchCount + " batches)");
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
