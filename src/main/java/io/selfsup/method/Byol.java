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
 * BYOL (Grill et al. 2020): the online network (backbone, projector, predictor) predicts the target network's
 * projection of the other view; the target is an exponential moving average of the online backbone and
 * projector, its rate tau rising from {@code tauBase} to 1 on a cosine over the run. The loss is symmetric:
 * each view predicts the other.
 */
final class Byol implements PretextMethod {

    private final MethodConfig config;
    private final ByolNetwork net;

    Byol(MethodConfig config) {
        this.config = config;
        this.net = new ByolNetwork(config);
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
    public List<AugmentationRecipe> viewRecipes() {
        return config.views();
    }

    @Override
    public Loss loss() {
        return new Loss("BYOL") {
            @Override
            public NDArray evaluate(NDList views, NDList outputs) {
                NDList predictions = outputs.get(0).split(2, 0);
                NDList targets = outputs.get(1).split(2, 0);
                return ByolLoss.loss(predictions.get(0), targets.get(1))
                        .add(ByolLoss.loss(predictions.get(1), targets.get(0)));
            }
        };
    }

    @Override
    public boolean lossSplitsOverImages() {
        return false;
    }

    @Override
    public void afterInitialize() {
        net.copyOnlineToTarget();
    }

    @Override
    public void afterStep(long step, long totalSteps) {
        net.updateTarget(EmaUpdate.tau(config.tauBase(), step, totalSteps));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", "2 - 2 cos(prediction, target projection of the other view), both ways");
        m.put("target", "EMA of online backbone and projector, tau " + config.tauBase() + " -> 1 (cosine over steps)");
        return m;
    }
}
