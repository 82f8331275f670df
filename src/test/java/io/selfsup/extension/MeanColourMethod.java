package io.selfsup.extension;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewPlan;
import io.selfsup.method.Method;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;
import io.selfsup.method.Setting;
import io.selfsup.nn.BackboneType;
import io.selfsup.nn.GlobalAvgPool;
import io.selfsup.optim.OptimizerConfig;
import java.util.List;
import java.util.Map;

/**
 * A method that exists only in the test sources, to prove that a method is one class plus one registration line
 * (src/test/resources/META-INF/services/io.selfsup.method.Method) and nothing else: ssl-train offers it as
 * --method meancolour with its setting --loss-weight, config.json records it, --resume holds it fixed, and
 * ssl-encode / ssl-export rebuild it, all with no edit to selfsup's own sources (ExtensionMethodTest). Its
 * objective is deliberately trivial: predict each image's mean colour from the pooled backbone feature. It uses
 * only selfsup's public API, from a package of its own.
 */
public final class MeanColourMethod implements Method {

    /** Its one setting. */
    public record Settings(@Setting("Factor of the mean-colour loss") float lossWeight) {

        public Settings {
            if (!(lossWeight > 0) || Float.isInfinite(lossWeight)) {
                throw new IllegalArgumentException("the loss weight must be a positive number, got " + lossWeight);
            }
        }
    }

    @Override
    public String id() {
        return "meancolour";
    }

    @Override
    public String summary() {
        return "predict each image's mean colour (a test of the method registry)";
    }

    @Override
    public BackboneType defaultBackbone() {
        return BackboneType.RESNET18;
    }

    @Override
    public int defaultBatchSize() {
        return 32;
    }

    @Override
    public int minBatchSize() {
        return 2;
    }

    @Override
    public OptimizerConfig.Type defaultOptimizer() {
        return OptimizerConfig.Type.SGD;
    }

    @Override
    public Record defaultSettings() {
        return new Settings(1f);
    }

    @Override
    public List<AugmentationRecipe> defaultViews() {
        return List.of();
    }

    @Override
    public PretextMethod create(MethodConfig config) {
        Block backbone = config.createBackbone();
        SequentialBlock network = new SequentialBlock()
                .add(backbone)
                .add(new LambdaBlock(maps -> new NDList(GlobalAvgPool.apply(maps.singletonOrThrow()))))
                .add(Linear.builder().setUnits(3).build());
        float weight = config.settings(Settings.class).lossWeight();
        return new PretextMethod() {
            @Override
            public Block network() {
                return network;
            }

            @Override
            public Block backbone() {
                return backbone;
            }

            @Override
            public ViewPlan views() {
                return config.views();
            }

            @Override
            public Loss loss() {
                return new Loss("mean colour") {
                    @Override
                    public NDArray evaluate(NDList views, NDList predictions) {
                        NDArray image = views.singletonOrThrow();
                        NDArray colour = image.reshape(image.getShape().get(0), 3, -1).mean(new int[] {2});
                        return predictions.singletonOrThrow().sub(colour).square().mean().mul(weight);
                    }
                };
            }

            @Override
            public boolean lossSplitsOverImages() {
                return true;
            }

            @Override
            public Map<String, Object> describe() {
                return Map.of("loss", "MSE of the predicted against the actual mean colour, x " + weight);
            }
        };
    }
}
