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
 * the two views of an image together against the other 2N - 2 views of the batch.
 */
final class SimClr implements PretextMethod {

    private final MethodConfig config;
    private final ProjectedBackbone net;

    SimClr(MethodConfig config) {
        this.config = config;
        this.net = new ProjectedBackbone(config.backbone().create(config.width()),
                config.backbone().channels(config.width()), config.projectorHidden(), config.projectorDim());
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
        float temperature = config.temperature();
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
        m.put("loss", "NT-Xent over the 2N views of the batch, temperature " + config.temperature());
        return m;
    }
}
