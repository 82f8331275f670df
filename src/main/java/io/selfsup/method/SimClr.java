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
 * SimCLR (Chen et al. 2020): two augmented views of each image, backbone, projector, and NT-Xent, which pulls
 * the two views of an image together against the other 2N - 2 views of the batch; with local crops every view's
 * positives are all the other views of its image ({@link NtXentLoss#ntXent(NDArray, int, float)}). Defaults: lightly's CIFAR-10
 * benchmark and ../shared/peer/simclr_cifar.py (projector 512 -> 128, temperature 0.5, batch 256, SGD).
 */
public final class SimClr extends ViewMethod {

    /** SimCLR's settings. */
    public record Settings(
            @Setting("Projector hidden units") int projectorHidden,
            @Setting("Projector output size") int projectorDim,
            @Setting("NT-Xent temperature") float temperature) {

        public Settings {
            ProjectedBackbone.checkSizes(projectorHidden, projectorDim);
            if (!(temperature > 0) || Float.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
            }
        }
    }

    @Override
    public String id() {
        return "simclr";
    }

    @Override
    public String summary() {
        return "two augmented views, projector, NT-Xent against every other image of the batch";
    }

    @Override
    public Record defaultSettings() {
        return new Settings(512, 128, 0.5f);
    }

    @Override
    public List<AugmentationRecipe> defaultViews() {
        return List.of(AugmentationRecipe.simclr(), AugmentationRecipe.simclr());
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
                    config.backbone().channels(config.width()), settings.projectorHidden(), settings.projectorDim());
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
            float temperature = settings.temperature();
            int views = config.views().count();
            return new Loss("NT-Xent") {
                @Override
                public NDArray evaluate(NDList inputs, NDList embeddings) {
                    return NtXentLoss.ntXent(embeddings.singletonOrThrow(), views, temperature);
                }
            };
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            int local = config.views().localCount();
            m.put("loss", local == 0 ? "NT-Xent over the 2N views of the batch, temperature " + settings.temperature()
                    : "multi-positive NT-Xent over the " + config.views().count() + "N views of the batch (2 global, "
                    + local + " local each), the other views of an image its positives, temperature "
                    + settings.temperature());
            return m;
        }
    }
}
