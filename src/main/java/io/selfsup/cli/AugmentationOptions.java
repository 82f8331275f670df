package io.selfsup.cli;

import io.selfsup.SelfsupException;
import io.selfsup.data.augment.AugmentationRecipe;
import picocli.CommandLine.Option;

/**
 * Strengths and probabilities of SimCLR's, BYOL's and MoCo's augmentations. Left out, each keeps the method's
 * CIFAR default (AugmentationRecipe.simclr, byolFirst, byolSecond, mocoV2); given, it replaces that value in every view.
 */
final class AugmentationOptions {

    @Option(names = "--crop-scale", paramLabel = "MIN", description = "Smallest random crop, as a fraction of the "
            + "image area (default: 0.2 simclr, 0.08 byol and moco).")
    Double cropScale;

    @Option(names = "--flip-prob", description = "Horizontal flip probability (default: 0.5).")
    Double flip;

    @Option(names = "--brightness", description = "Colour jitter strength (default: 0.4).")
    Double brightness;

    @Option(names = "--contrast", description = "Colour jitter strength (default: 0.4).")
    Double contrast;

    @Option(names = "--saturation", description = "Colour jitter strength (default: 0.4 simclr and moco, 0.2 byol).")
    Double saturation;

    @Option(names = "--hue", description = "Hue jitter, at most 0.5 (default: 0.1).")
    Double hue;

    @Option(names = "--jitter-prob", description = "Probability of the colour jitter (default: 0.8).")
    Double jitter;

    @Option(names = "--gray-prob", description = "Grayscale probability (default: 0.2).")
    Double gray;

    @Option(names = "--solarize-prob", description = "Solarization probability (default: 0; byol's second view 0.2).")
    Double solarize;

    boolean anyGiven() {
        return cropScale != null || flip != null || brightness != null || contrast != null || saturation != null
                || hue != null || jitter != null || gray != null || solarize != null;
    }

    AugmentationRecipe applyTo(AugmentationRecipe r) {
        try {
            return new AugmentationRecipe(or(cropScale, r.cropScaleMin()), r.cropScaleMax(), r.cropRatioMin(),
                    r.cropRatioMax(), or(flip, r.flipProbability()), or(brightness, r.brightness()),
                    or(contrast, r.contrast()), or(saturation, r.saturation()), or(hue, r.hue()),
                    or(jitter, r.jitterProbability()), or(gray, r.grayscaleProbability()),
                    or(solarize, r.solarizeProbability()));
        } catch (IllegalArgumentException e) {
            throw new SelfsupException("augmentation options: " + e.getMessage() + "; see ssl-train --help");
        }
    }

    private static double or(Double value, double fallback) {
        return value != null ? value : fallback;
    }
}
