package io.selfsup.cli;

import io.selfsup.method.MethodConfig;
import io.selfsup.method.MethodType;
import io.selfsup.nn.BackboneType;
import io.selfsup.train.OptimizerConfig;
import java.util.Objects;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * ssl-train's choice of method, backbone and optimizer. Every option left out takes the method's documented
 * default (MethodConfig.defaults, OptimizerConfig.defaults), so the plain command stays the article's run.
 */
final class MethodOptions {

    @Option(names = "--method", defaultValue = "autoencoder", paramLabel = "autoencoder|simclr|byol",
            converter = EnumConverters.MethodConverter.class,
            description = "Pretext task (default: ${DEFAULT-VALUE}, the article's; simclr or byol learn useful "
                    + "features).")
    MethodType method;

    @Option(names = "--backbone", paramLabel = "conv2|resnet18", converter = EnumConverters.BackboneConverter.class,
            description = "Network whose features are learned (default: conv2 for autoencoder, resnet18 otherwise).")
    BackboneType backbone;

    @Option(names = "--width", description = "ResNet channels of the first stage; 64 is the standard ResNet-18 "
            + "(default: 64 on a GPU, 16 on a CPU).")
    Integer width;

    @Option(names = "--batch-size", description = "Images per step (default: 64 for autoencoder, 256 otherwise).")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "adam|sgd", converter = EnumConverters.OptimizerConverter.class,
            description = "Default: adam for autoencoder, sgd (momentum) otherwise.")
    OptimizerConfig.Type optimizer;

    @Option(names = "--lr", description = "Peak learning rate (default: 1e-3 for Adam, 0.06 x batch / 128 for SGD).")
    Float lr;

    @Option(names = "--momentum", description = "SGD momentum (default: 0.9).")
    Float momentum;

    @Option(names = "--weight-decay", description = "SGD weight decay (default: 5e-4).")
    Float weightDecay;

    @Option(names = "--warmup-epochs", description = "Linear learning-rate warm-up, in epochs (default: 0).")
    Float warmupEpochs;

    @Option(names = "--lr-schedule", paramLabel = "cosine|constant",
            description = "After warm-up: cosine decay to 0 per step, or constant (default: constant for Adam, "
                    + "cosine for SGD).")
    String schedule;

    @Option(names = "--temperature", description = "SimCLR's NT-Xent temperature (default: 0.5).")
    Float temperature;

    @Option(names = "--tau-base", description = "BYOL's initial target EMA rate, rising to 1 (default: 0.99).")
    Float tauBase;

    @Option(names = "--projector-hidden", description = "Projector hidden units (default: 512 simclr, 1024 byol).")
    Integer projectorHidden;

    @Option(names = "--projector-dim", description = "Projector output size (default: 128 simclr, 256 byol).")
    Integer projectorDim;

    @Option(names = "--predictor-hidden", description = "BYOL predictor hidden units (default: 1024).")
    Integer predictorHidden;

    @ArgGroup(exclusive = false, heading = "%nAugmentations (each replaces that setting in every view's recipe)%n")
    AugmentationOptions augmentation = new AugmentationOptions();

    /** Whether any of these options was given (they are fixed by the run when resuming). */
    boolean anyGiven() {
        return backbone != null || width != null || batchSize != null || optimizer != null || lr != null
                || momentum != null || weightDecay != null || warmupEpochs != null || schedule != null
                || temperature != null || tauBase != null || projectorHidden != null || projectorDim != null
                || predictorHidden != null || method != MethodType.AUTOENCODER || augmentation.anyGiven();
    }

    MethodConfig methodConfig() {
        BackboneType b = Objects.requireNonNullElse(backbone, MethodConfig.defaultBackbone(method));
        MethodConfig d = MethodConfig.defaults(method, b, width == null ? 0 : width);
        return new MethodConfig(method, b, d.width(), or(projectorHidden, d.projectorHidden()),
                or(projectorDim, d.projectorDim()), or(predictorHidden, d.predictorHidden()),
                or(temperature, d.temperature()), or(tauBase, d.tauBase()),
                d.views().stream().map(augmentation::applyTo).toList());
    }

    int batchSize() {
        return batchSize != null ? batchSize : method == MethodType.AUTOENCODER ? 64 : 256;
    }

    OptimizerConfig optimizerConfig() {
        OptimizerConfig d = OptimizerConfig.defaults(method, Math.max(1, batchSize()));
        OptimizerConfig.Type type = Objects.requireNonNullElse(optimizer, d.type());
        if (type != d.type()) {
            d = type == OptimizerConfig.Type.ADAM
                    ? OptimizerConfig.defaults(MethodType.AUTOENCODER, batchSize())
                    : OptimizerConfig.defaults(MethodType.SIMCLR, Math.max(1, batchSize()));
        }
        boolean cosine = d.cosine();
        if (schedule != null) {
            if (!schedule.equals("cosine") && !schedule.equals("constant")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--lr-schedule must be cosine or constant, got '" + schedule + "'");
            }
            cosine = schedule.equals("cosine");
        }
        return new OptimizerConfig(type, or(lr, d.learningRate()), or(momentum, d.momentum()),
                or(weightDecay, d.weightDecay()), or(warmupEpochs, d.warmupEpochs()), cosine);
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static float or(Float value, float fallback) {
        return value != null ? value : fallback;
    }
}
