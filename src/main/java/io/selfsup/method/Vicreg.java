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
 * VICReg (Bardes, Ponce, LeCun 2022): two augmented views of each image, backbone, a 3-layer projector, and a loss
 * with no negatives and no target network: the views' embeddings are pulled together (invariance) while each
 * dimension keeps a standard deviation of at least 1 over the batch (variance) and the dimensions are decorrelated
 * (covariance). Defaults: solo-learn's scripts/pretrain/cifar/vicreg.yaml (weights 25 / 25 / 1, its views) with what
 * the CPU budget runs measured (docs/benchmarks.md, "Features per minute"): a 1024 -> 1024 -> 1024 projector
 * (solo-learn's 2048 costs 6% more a step at width 16), the shared SGD recipe of {@link ViewMethod} (solo-learn's
 * LARS, {@code --optimizer lars}, scored 4.6 linear points lower in 10 minutes) and one epoch of warm-up (without
 * it, SGD's 0.12 sent the loss to NaN at the sixth step).
 */
public final class Vicreg extends ViewMethod {

    /** The projector's Linear layers, as in solo-learn's and the authors' VICReg. */
    private static final int PROJECTOR_LAYERS = 3;

    /** VICReg's settings. */
    public record Settings(
            @Setting("Projector hidden units") int projectorHidden,
            @Setting("Projector output size") int projectorDim,
            @Setting("VICReg invariance weight (lambda)") float invarianceWeight,
            @Setting("VICReg variance weight (mu)") float varianceWeight,
            @Setting("VICReg covariance weight (nu)") float covarianceWeight) {

        public Settings {
            ProjectedBackbone.checkSizes(projectorHidden, projectorDim);
            weight("invariance", invarianceWeight);
            weight("variance", varianceWeight);
            weight("covariance", covarianceWeight);
            if (invarianceWeight == 0 && varianceWeight == 0 && covarianceWeight == 0) {
                throw new IllegalArgumentException("at least one VICReg weight must be positive, got all 0");
            }
        }

        private static void weight(String term, float value) {
            if (!(value >= 0) || Float.isInfinite(value)) {
                throw new IllegalArgumentException("the " + term + " weight must be a finite number >= 0, got "
                        + value);
            }
        }
    }

    @Override
    public String id() {
        return "vicreg";
    }

    @Override
    public String summary() {
        return "two augmented views, 3-layer projector, invariance plus variance and covariance regularization";
    }

    @Override
    public Record defaultSettings() {
        return new Settings(1024, 1024, 25f, 25f, 1f);
    }

    @Override
    public float defaultWarmupEpochs() {
        return 1f;
    }

    @Override
    public List<AugmentationRecipe> defaultViews() {
        return List.of(AugmentationRecipe.vicreg(), AugmentationRecipe.vicreg());
    }

    @Override
    public PretextMethod create(MethodConfig config) {
        return new Task(config, config.settings(Settings.class));
    }

    private static final class Task extends ViewTask<Settings> {

        private final ProjectedBackbone net;

        Task(MethodConfig config, Settings settings) {
            super(config, settings);
            this.net = new ProjectedBackbone(config.createBackbone(),
                    config.backbone().channels(config.width()), settings.projectorHidden(), settings.projectorDim(),
                    PROJECTOR_LAYERS);
        }

        @Override
        public Block network() {
            return net;
        }

        @Override
        public Block backbone() {
            return net.backbone();
        }

        @Override
        public Loss loss() {
            Settings s = settings;
            return new Loss("VICReg") {
                @Override
                public NDArray evaluate(NDList views, NDList embeddings) {
                    NDList perView = embeddings.singletonOrThrow().split(views.size(), 0);
                    return VicregLoss.loss(perView, config.globalViews(), s.invarianceWeight(), s.varianceWeight(),
                            s.covarianceWeight());
                }
            };
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", "VICReg (solo-learn's): " + settings.invarianceWeight() + " x invariance + "
                    + settings.varianceWeight() + " x variance + " + settings.covarianceWeight() + " x covariance");
            m.put("projector_layers", PROJECTOR_LAYERS);
            return m;
        }
    }
}
