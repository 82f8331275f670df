package io.selfsup.method;

import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.nn.BackboneType;
import io.selfsup.optim.OptimizerConfig;
import java.util.List;

/**
 * One self-supervised method as ssl-train offers it: its id, its recipe's defaults, its own settings and the
 * factory of its networks. A method is one class implementing this (with a public no-argument constructor) and
 * one line naming it in {@code META-INF/services/io.selfsup.method.Method}; {@link Methods} finds it there, and
 * the command line, config.json and --resume follow from what it declares here.
 */
public interface Method {

    /** The name --method and config.json use, lowercase. */
    String id();

    /** One line for --help: what the method trains the backbone to do. */
    String summary();

    /** The backbone trained when --backbone is not given. */
    BackboneType defaultBackbone();

    /** Why the method cannot train {@code backbone}, or null when it can. */
    default String backboneProblem(BackboneType backbone) {
        return null;
    }

    /** Images per step when --batch-size is not given. */
    int defaultBatchSize();

    /** The smallest batch its objective is defined on (2 for an objective that compares images of a batch). */
    int minBatchSize();

    /** The optimizer of its recipe; {@link OptimizerConfig#defaults} gives that optimizer's own defaults. */
    OptimizerConfig.Type defaultOptimizer();

    /** Epochs of linear learning-rate warm-up when --warmup-epochs is not given (0: none, the optimizers' own). */
    default float defaultWarmupEpochs() {
        return 0f;
    }

    /**
     * Its own settings with their defaults: a record whose components are {@link Setting}s and whose
     * constructor validates them (a record with no components when it has none).
     */
    Record defaultSettings();

    /** How each view of an image is made by default, one recipe per view; empty: the image itself. */
    List<AugmentationRecipe> defaultViews();

    /**
     * The settings to train on {@code trainImages} images in batches of {@code batchSize} (ViewBatches says how many
     * an epoch uses): {@code settings} itself unless a setting is bounded by the data (MoCo's queue). ssl-train applies it once it knows the data and records the result in config.json, so a
     * resume, ssl-encode and ssl-export build the same network.
     *
     * @throws io.selfsup.SelfsupException when the method cannot train on so few images, with what to change
     */
    default Record fitToData(Record settings, int trainImages, int batchSize) {
        return settings;
    }

    /** Builds the networks, views and loss of {@code config}, whose settings are of this method's type. */
    PretextMethod create(MethodConfig config);
}
