package io.selfsup.method;

import io.selfsup.data.augment.ViewPlan;
import io.selfsup.nn.BackboneType;
import io.selfsup.optim.OptimizerConfig;

/**
 * The recipe the augmentation-based methods share (solo-learn's shared base of its methods): a CIFAR ResNet-18,
 * batch 256, SGD, and at least two images a batch, since each objective compares images of the batch (and batch
 * norm in the projector needs two). A method of this kind extends it and adds its settings, views and networks.
 */
public abstract class ViewMethod implements Method {

    @Override
    public BackboneType defaultBackbone() {
        return BackboneType.RESNET18;
    }

    @Override
    public int defaultBatchSize() {
        return 256;
    }

    @Override
    public int minBatchSize() {
        return 2;
    }

    @Override
    public OptimizerConfig.Type defaultOptimizer() {
        return OptimizerConfig.Type.SGD;
    }

    /**
     * What a built view method shares: its config and settings, the views the config plans, and an objective that
     * compares the images of a batch with each other (so a batch is never split across devices).
     */
    abstract static class ViewTask<S extends Record> implements PretextMethod {

        protected final MethodConfig config;
        protected final S settings;

        ViewTask(MethodConfig config, S settings) {
            this.config = config;
            this.settings = settings;
        }

        @Override
        public ViewPlan views() {
            return config.views();
        }

        @Override
        public boolean lossSplitsOverImages() {
            return false;
        }
    }
}
