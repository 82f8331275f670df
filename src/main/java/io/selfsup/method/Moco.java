package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.selfsup.SelfsupException;
import io.selfsup.data.ViewBatches;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MoCo v2 (He et al. 2020, Chen et al. 2020) in solo-learn's symmetric "MoCo v2+" form: the query encoder
 * (backbone, projector Linear-ReLU-Linear) classifies each view's key, made by a momentum encoder (an EMA of
 * backbone and projector, {@link MomentumTarget}) from the other view, against a queue of keys of earlier batches
 * (InfoNCE, {@link MocoLoss}); one queue per global view, updated after each optimizer step. Defaults: solo-learn's
 * scripts/pretrain/cifar/mocov2plus.yaml (projector 2048 -> 256, temperature 0.2, queue 32768, tau 0.99 -> 0.999,
 * its views without their blur).
 *
 * <p>The queue holds at most the images of an epoch less a batch ({@link #fitToData}), so that on a small folder
 * it is not filled with keys of the very images of the batch: ssl-train lowers it and records the value it
 * trained with in config.json. An epoch of a single batch has no earlier batches to draw negatives from and is
 * refused.
 */
public final class Moco extends ViewMethod {

    /** MoCo's settings. */
    public record Settings(
            @Setting("Projector hidden units") int projectorHidden,
            @Setting("Projector output size") int projectorDim,
            @Setting("InfoNCE temperature") float temperature,
            @Setting("Negatives kept per global view, the keys of the latest batches (at most an epoch's images "
                    + "less a batch)") int queueSize,
            @Setting("Initial key-encoder EMA rate, rising to --tau-final on a cosine over the run") float tauBase,
            @Setting("Key-encoder EMA rate at the end of the run") float tauFinal) {

        public Settings {
            ProjectedBackbone.checkSizes(projectorHidden, projectorDim);
            if (!(temperature > 0) || Float.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
            }
            if (queueSize < 1) {
                throw new IllegalArgumentException("the queue must hold at least 1 key, got " + queueSize);
            }
            if (!(tauBase >= 0 && tauBase < 1)) {
                throw new IllegalArgumentException("the key-encoder EMA rate tau must be in [0, 1), got " + tauBase);
            }
            if (!(tauFinal >= tauBase && tauFinal <= 1)) {
                throw new IllegalArgumentException("the final EMA rate tau must be in [" + tauBase + ", 1], got "
                        + tauFinal);
            }
        }

        Settings withQueueSize(int value) {
            return new Settings(projectorHidden, projectorDim, temperature, value, tauBase, tauFinal);
        }
    }

    @Override
    public String id() {
        return "moco";
    }

    @Override
    public String summary() {
        return "queries classify the momentum encoder's key of the other view against a queue of earlier keys";
    }

    @Override
    public Record defaultSettings() {
        return new Settings(2048, 256, 0.2f, 32768, 0.99f, 0.999f);
    }

    @Override
    public List<AugmentationRecipe> defaultViews() {
        return List.of(AugmentationRecipe.mocoV2(), AugmentationRecipe.mocoV2());
    }

    /**
     * The queue lowered to the images of an epoch less a batch when it is longer. Refused when an epoch is one
     * batch: every key in the queue would then be of an image of the batch.
     */
    @Override
    public Record fitToData(Record settings, int trainImages, int batchSize) {
        Settings s = (Settings) settings;
        int epoch = ViewBatches.imagesPerEpoch(trainImages, batchSize, true);
        int batch = Math.min(batchSize, epoch);
        int room = epoch - batch;
        if (room < 1) {
            throw new SelfsupException("moco takes its negatives from earlier batches of an epoch, but "
                    + trainImages + " training images make one batch of " + batch + "; pass --batch-size "
                    + Math.max(1, trainImages / 2) + " or less");
        }
        return s.queueSize() <= room ? s : s.withQueueSize(room);
    }

    @Override
    public PretextMethod create(MethodConfig config) {
        return new Task(config, config.settings(Settings.class));
    }

    private static final class Task extends ViewTask<Settings> {

        private final MocoNetwork net;

        Task(MethodConfig config, Settings settings) {
            super(config, settings);
            this.net = new MocoNetwork(config, settings);
        }

        @Override
        public Block network() {
            return net;
        }

        @Override
        public Block backbone() {
            return net.online().backbone();
        }

        @Override
        public Loss loss() {
            float temperature = settings.temperature();
            return new Loss("MoCo") {
                @Override
                public NDArray evaluate(NDList views, NDList outputs) {
                    NDArray queries = outputs.get(0);
                    NDArray keys = outputs.get(1);
                    NDArray queues = outputs.get(2);
                    int globals = (int) queues.getShape().get(0);
                    int images = (int) (keys.getShape().get(0) / globals);
                    int all = (int) (queries.getShape().get(0) / images);
                    return MocoLoss.loss(queries.split(all, 0), keys.split(globals, 0), queues, temperature);
                }
            };
        }

        @Override
        public void afterInitialize() {
            net.target().copyOnlineToTarget();
        }

        /** The keys of the step into the queues, then the key encoder's EMA step (solo-learn's order). */
        @Override
        public void afterStep(long step, long totalSteps) {
            net.queue().push(step);
            net.target().update(step, totalSteps);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", "InfoNCE of each view's query against the key of each other global view and that view's "
                    + "queue of " + settings.queueSize() + " keys, temperature " + settings.temperature()
                    + ", mean over the pairs");
            m.put("target", "key encoder: EMA of backbone and projector, tau " + settings.tauBase() + " -> "
                    + settings.tauFinal() + " (cosine over steps)");
            return m;
        }
    }
}
