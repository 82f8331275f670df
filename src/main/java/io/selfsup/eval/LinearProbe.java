package io.selfsup.eval;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.selfsup.data.EpochOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Multinomial logistic regression on frozen features, the standard linear evaluation. The recipe is fixed
 * so numbers compare across runs: features standardized with the training split's mean and standard
 * deviation; weights start at zero; Adam, learning rate 1e-2 decayed to 0 on a cosine over the run; weight
 * decay 1e-4; batch 256; {@value #DEFAULT_EPOCHS} epochs; seed 0. Standardization happens per batch, so no
 * second copy of a (possibly 1.6 GB) feature matrix is ever made.
 */
public final class LinearProbe {

    public static final int DEFAULT_EPOCHS = 30;
    private static final int BATCH = 256;
    private static final int CHUNK = 4096;
    private static final float LEARNING_RATE = 1e-2f;
    private static final float WEIGHT_DECAY = 1e-4f;

    private final int epochs;

    public LinearProbe(int epochs) {
        if (epochs < 1) {
            throw new io.selfsup.SelfsupException("--probe-epochs must be at least 1, got " + epochs);
        }
        this.epochs = epochs;
    }

    /** Trains on {@code train} and returns top-1 accuracy on {@code test}. */
    public double accuracy(LabeledFeatures train, LabeledFeatures test, int classes) {
        return accuracy(train, test, classes, trained -> { });
    }

    /** As {@link #accuracy(LabeledFeatures, LabeledFeatures, int)}, showing {@code inspect} the trained probe. */
    double accuracy(LabeledFeatures train, LabeledFeatures test, int classes, Consumer<Block> inspect) {
        try (NDManager manager = train.features().getManager().newSubManager()) {
            NDArray[] moments = meanAndStd(manager, train.features());
            Engine.getInstance().setRandomSeed(0);
            int n = (int) train.size();
            int steps = epochs * ((n + BATCH - 1) / BATCH);
            // on the features' device: a model on the engine's default device (a GPU) would not find its
            // parameters for inputs on another one
            Device device = train.features().getDevice();
            try (Model model = Model.newInstance("linear-probe", device)) {
                Linear linear = Linear.builder().setUnits(classes).build();
                linear.setInitializer(new ConstantInitializer(0), Parameter.Type.WEIGHT);
                model.setBlock(linear);
                Optimizer adam = Optimizer.adam()
                        .optLearningRateTracker(Tracker.cosine().setBaseValue(LEARNING_RATE)
                                .optFinalValue(0).setMaxUpdates(steps).build())
                        .optWeightDecays(WEIGHT_DECAY)
                        .build();
                DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(adam)
                        .optDevices(new Device[] {device});
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(BATCH, train.dimension()));
                    for (int epoch = 1; epoch <= epochs; epoch++) {
                        int[] order = EpochOrder.shuffled(n, 0, epoch);
                        for (int from = 0; from < n; from += BATCH) {
                            int to = Math.min(n, from + BATCH);
                            try (NDManager batch = manager.newSubManager();
                                 GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray idx = batch.create(Arrays.copyOfRange(order, from, to));
                                NDArray xb = standardized(batch, train.features().get(idx), moments);
                                NDArray yb = owned(batch, train.labels().get(idx));
                                NDArray logits = trainer.forward(new NDList(xb)).singletonOrThrow();
                                collector.backward(trainer.getLoss().evaluate(new NDList(yb), new NDList(logits)));
                            }
                            update(linear, adam);
                        }
                    }
                    inspect.accept(linear);
                    long correct = 0;
                    for (long from = 0; from < test.size(); from += CHUNK) {
                        long to = Math.min(test.size(), from + CHUNK);
                        try (NDManager chunk = manager.newSubManager()) {
                            NDArray x = standardized(chunk, test.features().get("{}:{}", from, to), moments);
                            NDArray predicted = trainer.evaluate(new NDList(x)).singletonOrThrow().argMax(1);
                            correct += predicted.eq(owned(chunk, test.labels().get("{}:{}", from, to)))
                                    .sum().getLong();
                        }
                    }
                    return correct / (double) test.size();
                }
            }
        }
    }

    /**
     * The optimizer step, without Trainer.step()'s first-step check: DJL refuses a step whose gradients sum to
     * exactly 0, and a softmax classifier's gradients always sum to 0 (each row of softmax - one-hot does), so
     * only rounding lets that check pass; on a few dozen images with zero initial weights it does not.
     */
    private static void update(Linear linear, Optimizer optimizer) {
        for (Parameter p : linear.getParameters().values()) {
            if (p.requiresGradient()) {
                NDArray weight = p.getArray();
                NDArray gradient = weight.getGradient();
                optimizer.update(p.getId(), weight, gradient);
                gradient.subi(gradient);
            }
        }
    }

    /** Column mean and standard deviation (+1e-6), accumulated chunk by chunk in float64. */
    private static NDArray[] meanAndStd(NDManager manager, NDArray features) {
        long n = features.getShape().get(0);
        NDArray sum = manager.zeros(new Shape(features.getShape().get(1)), ai.djl.ndarray.types.DataType.FLOAT64);
        NDArray sumSquares = sum.duplicate();
        for (long from = 0; from < n; from += CHUNK) {
            try (NDManager chunk = manager.newSubManager()) {
                NDArray x = owned(chunk, features.get("{}:{}", from, Math.min(n, from + CHUNK)))
                        .toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                sum.addi(x.sum(new int[] {0}));
                sumSquares.addi(x.square().sum(new int[] {0}));
            }
        }
        NDArray mean = sum.div(n);
        NDArray std = sumSquares.div(n).sub(mean.square()).maximum(0).sqrt().add(1e-6);
        return new NDArray[] {mean.toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
            std.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)};
    }

    private static NDArray standardized(NDManager scope, NDArray rows, NDArray[] moments) {
        return owned(scope, rows).sub(moments[0]).div(moments[1]);
    }

    /** Hands an array (created by an operation on a long-lived array) to a short-lived manager. */
    private static NDArray owned(NDManager scope, NDArray array) {
        array.attach(scope);
        return array;
    }
}
