package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.selfsup.data.augment.AugmentationRecipe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SimCLR (Chen et al. 2020): two augmented views of each image, backbone, projector, and NT-Xent, which pulls
 * the two views of an image together against the other 2N - 2 views of the batch. Defaults: lightly's CIFAR-10
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

    private static final class Task implements PretextMethod {

        private final MethodConfig config;
        private final Settings settings;
        private final ProjectedBackbone net;

        Task(MethodConfig config, Settings settings) {
            this.config = config;
            this.settings = settings;
            this.net = new ProjectedBackbone(config.backbone().create(config.width()),
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
        public List<AugmentationRecipe> viewRecipes() {
            return config.views();
        }

        @Override
        public Loss loss() {
            float temperature = settings.temperature();
            return new Loss("NT-Xent") {
                @Override
                public NDArray evaluate(NDList views, NDList embeddings) {
                    NDList halves = embeddings.singletonOrThrow().split(2, 0);
                    return NtXentLoss.ntXent(halves.get(0), halves.get(1), temperature);
                }
            };
        }

        @Override
        public boolean lossSplitsOverImages() {
            return false;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", "NT-Xent over the 2N views of the batch, temperature " + settings.temperature());
            return m;
        }
    }
}
