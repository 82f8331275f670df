package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BYOL (Grill et al. 2020): the online network (backbone, projector, predictor) predicts the target network's
 * projection of the other view; the target is an exponential moving average of the online backbone and
 * projector ({@link MomentumTarget}), its rate tau rising from {@code tauBase} to 1 on a cosine over the run.
 * The loss is symmetric: each view predicts the other; with local crops the target sees only the global views and
 * every view predicts each global view but itself ({@link ByolLoss#multiCrop}). Defaults: heads of lightly (1024 -> 256), tau and views
 * of solo-learn's CIFAR configuration.
 */
public final class Byol extends ViewMethod {

    /** BYOL's settings. */
    public record Settings(
            @Setting("Projector hidden units") int projectorHidden,
            @Setting("Projector output size") int projectorDim,
            @Setting("Predictor hidden units") int predictorHidden,
            @Setting("Initial target EMA rate, rising to 1 on a cosine over the run") float tauBase) {

        public Settings {
            ProjectedBackbone.checkSizes(projectorHidden, projectorDim);
            if (predictorHidden < 1) {
                throw new IllegalArgumentException("the predictor's hidden units must be at least 1, got "
                        + predictorHidden);
            }
            if (!(tauBase >= 0 && tauBase < 1)) {
                throw new IllegalArgumentException("the target EMA rate tau must be in [0, 1), got " + tauBase);
            }
        }
    }

    @Override
    public String id() {
        return "byol";
    }

    @Override
    public String summary() {
        return "online network with predictor regresses an EMA target network's projection of the other view";
    }

    @Override
    public Record defaultSettings() {
        return new Settings(1024, 256, 1024, 0.99f);
    }

    @Override
    public List<AugmentationRecipe> defaultViews() {
        return List.of(AugmentationRecipe.byolFirst(), AugmentationRecipe.byolSecond());
    }

    @Override
    public PretextMethod create(MethodConfig config) {
        return new Task(config, config.settings(Settings.class));
    }

    private static final class Task extends ViewTask<Settings> {

        private final ByolNetwork net;

        Task(MethodConfig config, Settings settings) {
            super(config, settings);
            this.net = new ByolNetwork(config, settings);
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
            int views = config.views().count();
            int global = config.globalViews();
            return new Loss("BYOL") {
                @Override
                public NDArray evaluate(NDList inputs, NDList outputs) {
                    return ByolLoss.multiCrop(outputs.get(0).split(views, 0), outputs.get(1).split(global, 0));
                }
            };
        }

        @Override
        public void afterInitialize() {
            net.target().copyOnlineToTarget();
        }

        @Override
        public void afterStep(long step, long totalSteps) {
            net.target().update(step, totalSteps);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            int local = config.views().localCount();
            m.put("loss", local == 0 ? "2 - 2 cos(prediction, target projection of the other view), both ways"
                    : "2 - 2 cos(prediction, target projection of a global view), summed over each global view and "
                    + "every other view (" + local + " local crops each; targets of the global views only)");
            m.put("target", "EMA of online backbone and projector, tau " + settings.tauBase()
                    + " -> 1 (cosine over steps)");
            return m;
        }
    }
}
