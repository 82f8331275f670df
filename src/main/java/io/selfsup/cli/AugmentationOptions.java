package io.selfsup.cli;

import io.selfsup.SelfsupException;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewPlan;
import picocli.CommandLine.Option;

/**
 * Strengths and probabilities of the view-based methods' augmentations, and multi-crop's local views. Left out,
 * each keeps the method's CIFAR default (AugmentationRecipe.simclr, byolFirst, byolSecond, vicreg, mocoV2; no local
 * views); given, it replaces that value in every view.
 */
final class AugmentationOptions {

    @Option(names = "--crop-scale", paramLabel = "MIN", description = "Smallest random crop, as a fraction of the "
            + "image area (default: 0.2 simclr and vicreg, 0.08 byol and moco).")
    Double cropScale;

    @Option(names = "--flip-prob", description = "Horizontal flip probability (default: 0.5).")
    Double flip;

    @Option(names = "--brightness", description = "Colour jitter strength (default: 0.4).")
    Double brightness;

    @Option(names = "--contrast", description = "Colour jitter strength (default: 0.4).")
    Double contrast;

    @Option(names = "--saturation", description = "Colour jitter strength (default: 0.4 simclr and moco, 0.2 byol and vicreg).")
    Double saturation;

    @Option(names = "--hue", description = "Hue jitter, at most 0.5 (default: 0.1).")
    Double hue;

    @Option(names = "--jitter-prob", description = "Probability of the colour jitter (default: 0.8).")
    Double jitter;

    @Option(names = "--gray-prob", description = "Grayscale probability (default: 0.2).")
    Double gray;

    @Option(names = "--solarize-prob", description = "Solarization probability (default: 0; byol's second view 0.2; "
            + "vicreg 0.1).")
    Double solarize;

    @Option(names = "--blur-prob", description = "Gaussian blur probability (kernel a tenth of the view, sigma "
            + "0.1-2; default: 0.5 from " + AugmentationRecipe.BLUR_FROM_SIZE + "-pixel images up, as the ImageNet "
            + "recipes, 0 below).")
    Double blur;

    @Option(names = "--local-crops", paramLabel = "K", description = "Multi-crop: K small local views of each "
            + "image after the two global ones, with the first view's augmentation and their own crop (default: 0).")
    Integer localCrops;

    @Option(names = "--local-crop-size", paramLabel = "PX", description = "Side of the local views in pixels, smaller "
            + "than the global views (default: half of them, 16 for 32-pixel images).")
    Integer localCropSize;

    @Option(names = "--local-crop-scale", paramLabel = "MIN[,MAX]", description = "Local crops' area, as fractions "
            + "of the image area (default: " + ViewPlan.LOCAL_SCALE_MIN + "," + ViewPlan.LOCAL_SCALE_MAX + ").")
    String localCropScale;

    /** Whether an option was given that only a method training on augmented views can follow. */
    boolean anyGiven() {
        return cropScale != null || flip != null || brightness != null || contrast != null || saturation != null
                || hue != null || jitter != null || gray != null || solarize != null || blur != null
                || (localCrops != null && localCrops != 0) || localCropSize != null || localCropScale != null;
    }

    /** The method's default views with the given options applied: every recipe's settings, then the local views. */
    ViewPlan applyTo(ViewPlan defaults) {
        ViewPlan plan = ViewPlan.of(defaults.global().stream().map(this::applyTo).toList(), defaults.globalSize());
        if (!plan.augmented()) {
            return plan;
        }
        double min = plan.local().cropScaleMin();
        double max = plan.local().cropScaleMax();
        if (localCropScale != null) {
            String[] bounds = localCropScale.split(",", -1);
            try {
                min = Double.parseDouble(bounds[0].strip());
                max = bounds.length == 2 ? Double.parseDouble(bounds[1].strip()) : max;
            } catch (NumberFormatException e) {
                bounds = new String[0];
            }
            if (bounds.length < 1 || bounds.length > 2) {
                throw new SelfsupException("--local-crop-scale takes MIN or MIN,MAX, got '" + localCropScale
                        + "'; see ssl-train --help");
            }
        }
        try {
            return plan.withLocalCrops(localCrops != null ? localCrops : 0,
                    localCropSize != null ? localCropSize : plan.localSize(), min, max);
        } catch (IllegalArgumentException e) {
            throw new SelfsupException("local crop options: " + e.getMessage() + "; see ssl-train --help");
        }
    }

    private AugmentationRecipe applyTo(AugmentationRecipe r) {
        try {
            return new AugmentationRecipe(or(cropScale, r.cropScaleMin()), r.cropScaleMax(), r.cropRatioMin(),
                    r.cropRatioMax(), or(flip, r.flipProbability()), or(brightness, r.brightness()),
                    or(contrast, r.contrast()), or(saturation, r.saturation()), or(hue, r.hue()),
                    or(jitter, r.jitterProbability()), or(gray, r.grayscaleProbability()),
                    or(solarize, r.solarizeProbability()), blur != null ? blur : r.blurProbability());
        } catch (IllegalArgumentException e) {
            throw new SelfsupException("augmentation options: " + e.getMessage() + "; see ssl-train --help");
        }
    }

    private static double or(Double value, double fallback) {
        return value != null ? value : fallback;
    }
}
