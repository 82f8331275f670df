package io.selfsup.cli;

import io.selfsup.Limits;
import io.selfsup.method.Method;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.MethodSettings;
import io.selfsup.method.Methods;
import io.selfsup.data.ImageSizes;
import io.selfsup.nn.BackboneType;
import io.selfsup.nn.Stem;
import io.selfsup.optim.OptimizerConfig;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * ssl-train's choice of method, backbone and optimizer. Every option left out takes the method's documented
 * default ({@link Method}, {@link OptimizerConfig#defaults}), so the plain command stays the article's run. The
 * methods' own settings are options too, made from the registry ({@link MethodSettingOptions}).
 */
final class MethodOptions {

    @Option(names = "--method", paramLabel = "METHOD", completionCandidates = MethodIds.class,
            converter = MethodIds.class, description = "Pretext task, one of ${COMPLETION-CANDIDATES} (default: "
                    + "autoencoder, the article's; simclr, byol or moco learn useful features).")
    Method method;

    @Option(names = "--backbone", paramLabel = "BACKBONE", description = "Network whose features are learned, one "
            + "of ${COMPLETION-CANDIDATES} (default: the method's: conv2 for autoencoder, resnet18 otherwise).")
    BackboneType backbone;

    @Option(names = "--width", description = "ResNet channels of the first stage; 64 is the standard ResNet-18 "
            + "and ResNet-50 (default: 64 on a GPU, 16 on a CPU).")
    Integer width;

    @Option(names = "--stem", paramLabel = "cifar|standard", description = "ResNet stem: cifar (3x3, stride 1, no "
            + "max-pool) or standard (torchvision's 7x7, stride 2, max-pool) (default: cifar up to 32-pixel images, "
            + "standard above; from the file with --init-from).")
    Stem stem;

    @Option(names = "--image-size", paramLabel = "PIXELS", description = "Side of the square images the network "
            + "trains on; each picture is centre-cropped and resized to it (default: 32 for CIFAR-10 and folders of "
            + "small images, else the images' own size up to " + ImageSizes.CPU_DEFAULT + " on a CPU and "
            + ImageSizes.GPU_DEFAULT + " on a GPU).")
    Integer imageSize;

    @Option(names = "--batch-size", description = "Images per step (default: the method's: 64 for autoencoder, "
            + "256 otherwise).")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "adam|sgd|lars", description = "Default: the method's: adam for "
            + "autoencoder, sgd (momentum) otherwise; lars is SGD with LARS's layer-wise rates (solo-learn's).")
    OptimizerConfig.Type optimizer;

    @Option(names = "--lr", description = "Peak learning rate (default: 1e-3 for Adam, 0.06 x batch / 128 for SGD, "
            + "0.3 x batch / 256 for LARS).")
    Float lr;

    @Option(names = "--momentum", description = "SGD and LARS momentum (default: 0.9).")
    Float momentum;

    @Option(names = "--weight-decay", description = "SGD and LARS weight decay (default: 5e-4 SGD, 1e-4 LARS).")
    Float weightDecay;

    @Option(names = "--lars-eta", description = "LARS trust coefficient: no layer moves by more than this fraction "
            + "of its norm a step (default: 0.02).")
    Float larsEta;

    @Option(names = "--warmup-epochs", description = "Linear learning-rate warm-up, in epochs (default: the "
            + "method's, at most half the run: 1 for vicreg, 0 otherwise).")
    Float warmupEpochs;

    @Option(names = "--lr-schedule", paramLabel = "cosine|constant",
            description = "After warm-up: cosine decay to 0 per step, or constant (default: constant for Adam, "
                    + "cosine for SGD).")
    OptimizerConfig.Schedule schedule;

    @ArgGroup(exclusive = false, heading = "%nAugmentations (each replaces that setting in every view's recipe)%n")
    AugmentationOptions augmentation = new AugmentationOptions();

    /** The method asked for, else {@code fallback} (the article's for a new run, the run's own on --resume). */
    Method method(Method fallback) {
        return Objects.requireNonNullElse(method, fallback);
    }

    MethodConfig methodConfig(CommandLine train, Method fallback) {
        Method m = method(fallback);
        BackboneType b = Objects.requireNonNullElse(backbone, m.defaultBackbone());
        if (imageSize != null && (imageSize < 1 || imageSize > Limits.IMAGE_SIZE)) {
            throw new ParameterException(train, "--image-size must be between 1 and " + Limits.IMAGE_SIZE
                    + " pixels, got " + imageSize);
        }
        if (stem != null && !b.hasStem()) {
            throw new ParameterException(train, "--stem applies to ResNets; " + b.id() + " has no stem");
        }
        MethodConfig d = MethodConfig.defaults(m, b, width == null ? 0 : width).withStem(stem);
        if (imageSize != null) {
            d = d.withImageSize(imageSize);
        }
        if (!d.views().augmented() && augmentation.anyGiven()) {
            throw new ParameterException(train, "the augmentation and local crop options apply to methods that "
                    + "train on views (" + String.join(", ", Methods.all().stream()
                    .filter(v -> !v.defaultViews().isEmpty()).map(Method::id).toList()) + "); " + m.id()
                    + " trains on the image itself");
        }
        return d.withSettings(MethodSettings.with(d.settings(), MethodSettingOptions.given(train, m), m.id()))
                .withViews(augmentation.applyTo(d.views()));
    }

    /** Whether the image size is left to the data and the device. */
    boolean imageSizeFromData() {
        return imageSize == null;
    }

    int batchSize(Method fallback) {
        return batchSize != null ? batchSize : method(fallback).defaultBatchSize();
    }

    /**
     * The optimizer the options describe for a run of {@code runEpochs} epochs (0: not known yet, a time budget's):
     * a method's default warm-up is cut to half of a shorter run, and the peak rate to the one the whole warm-up
     * reaches there (as {@code BudgetPlanner} does for a budget: no step faster than with the whole warm-up); a given
     * --warmup-epochs is kept as given.
     */
    OptimizerConfig optimizerConfig(Method fallback, int runEpochs) {
        OptimizerConfig.Type type = Objects.requireNonNullElse(optimizer, method(fallback).defaultOptimizer());
        OptimizerConfig d = OptimizerConfig.defaults(type, batchSize(fallback));
        boolean cosine = schedule != null ? schedule == OptimizerConfig.Schedule.COSINE : d.cosine();
        float methodWarmup = method(fallback).defaultWarmupEpochs();
        float warmup = or(warmupEpochs, defaultWarmup(methodWarmup, runEpochs));
        float rate = or(lr, d.learningRate());
        if (warmupEpochs == null && warmup < methodWarmup) {
            rate *= warmup / methodWarmup;
        }
        return new OptimizerConfig(type, rate, or(momentum, d.momentum()), or(weightDecay, d.weightDecay()),
                or(larsEta, d.larsEta()), warmup, cosine);
    }

    private static float defaultWarmup(float methodDefault, int runEpochs) {
        return runEpochs > 0 ? Math.min(methodDefault, runEpochs / 2f) : methodDefault;
    }

    private static float or(Float value, float fallback) {
        return value != null ? value : fallback;
    }
}
