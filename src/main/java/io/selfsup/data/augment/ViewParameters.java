package io.selfsup.data.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The random choices that turn one image into one view, drawn as torchvision's transforms draw them, so a
 * view can be replayed exactly (the fixture tests build these by hand from PyTorch's parameters).
 *
 * @param top first source row of the crop
 * @param left first source column of the crop
 * @param cropHeight crop height in source pixels
 * @param cropWidth crop width in source pixels
 * @param flip whether the view is mirrored left to right
 * @param jitter whether the colour jitter applies; when false the four jitter values are neutral
 * @param brightness brightness factor (1: unchanged)
 * @param contrast contrast factor (1: unchanged)
 * @param saturation saturation factor (1: unchanged)
 * @param hue hue shift in turns (0: unchanged, and the HSV round trip is skipped as torchvision does for hue=0)
 * @param jitterOrder the order of the four jitter operations, a permutation as ColorJitter's randperm(4)
 * @param grayscale whether the view is turned to grayscale
 * @param solarize whether the view is solarized
 * @param blurSigma the Gaussian blur's sigma, 0 for no blur
 */
public record ViewParameters(int top, int left, int cropHeight, int cropWidth, boolean flip, boolean jitter,
                             double brightness, double contrast, double saturation, double hue,
                             List<JitterOp> jitterOrder, boolean grayscale, boolean solarize, double blurSigma) {

    /** A view without blur. */
    public ViewParameters(int top, int left, int cropHeight, int cropWidth, boolean flip, boolean jitter,
                          double brightness, double contrast, double saturation, double hue,
                          List<JitterOp> jitterOrder, boolean grayscale, boolean solarize) {
        this(top, left, cropHeight, cropWidth, flip, jitter, brightness, contrast, saturation, hue, jitterOrder,
                grayscale, solarize, 0);
    }

    /** ColorJitter's operations, in its index order (fn_idx 0..3). */
    public enum JitterOp { BRIGHTNESS, CONTRAST, SATURATION, HUE }

    private static final List<JitterOp> CANONICAL_ORDER = List.of(JitterOp.values());
    private static final JitterOp[] OPS = JitterOp.values();

    public ViewParameters {
        if (cropHeight <= 0 || cropWidth <= 0 || top < 0 || left < 0) {
            throw new IllegalArgumentException("empty or negative crop " + cropHeight + "x" + cropWidth + " at ("
                    + top + ", " + left + ")");
        }
        if (!(blurSigma >= 0 && Double.isFinite(blurSigma))) {
            throw new IllegalArgumentException("blur sigma must be finite and >= 0 (0: no blur), got " + blurSigma);
        }
        if (jitterOrder.size() != OPS.length || jitterOrder.stream().distinct().count() != OPS.length) {
            throw new IllegalArgumentException("jitter order must name each operation once, got " + jitterOrder);
        }
    }

    /**
     * Draws one view's parameters for a height x width image. The crop follows
     * RandomResizedCrop.get_params: ten tries of a uniform area fraction and a log-uniform aspect ratio, sides
     * rounded half to even like Python's round, then a centre crop clamped to the ratio range.
     */
    public static ViewParameters sample(AugmentationRecipe r, SplittableRandom random, int height, int width) {
        int[] crop = sampleCrop(r, random, height, width);
        boolean flip = random.nextDouble() < r.flipProbability();
        boolean jitter = random.nextDouble() < r.jitterProbability();
        double brightness = 1;
        double contrast = 1;
        double saturation = 1;
        double hue = 0;
        List<JitterOp> order = CANONICAL_ORDER;
        if (jitter) {
            order = permutation(random);
            brightness = factor(random, r.brightness());
            contrast = factor(random, r.contrast());
            saturation = factor(random, r.saturation());
            hue = r.hue() > 0 ? random.nextDouble(-r.hue(), r.hue()) : 0;
        }
        boolean grayscale = random.nextDouble() < r.grayscaleProbability();
        boolean solarize = random.nextDouble() < r.solarizeProbability();
        // drawn last, and only when a blur may happen: the draws of recipes without one are those of before blurs
        double blur = Double.isNaN(r.blurProbability()) ? 0 : r.blurProbability();
        double sigma = blur > 0 && random.nextDouble() < blur
                ? uniform(random, AugmentationRecipe.BLUR_SIGMA_MIN, AugmentationRecipe.BLUR_SIGMA_MAX) : 0;
        return new ViewParameters(crop[0], crop[1], crop[2], crop[3], flip, jitter, brightness, contrast,
                saturation, hue, order, grayscale, solarize, sigma);
    }

    private static int[] sampleCrop(AugmentationRecipe r, SplittableRandom random, int height, int width) {
        double area = (double) height * width;
        double logMin = Math.log(r.cropRatioMin());
        double logMax = Math.log(r.cropRatioMax());
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * uniform(random, r.cropScaleMin(), r.cropScaleMax());
            double ratio = Math.exp(uniform(random, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(target * ratio));
            int h = (int) Math.rint(Math.sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < r.cropRatioMin()) {
            h = (int) Math.rint(w / r.cropRatioMin());
        } else if (inRatio > r.cropRatioMax()) {
            w = (int) Math.rint(h * r.cropRatioMax());
        }
        return new int[] {(height - h) / 2, (width - w) / 2, h, w};
    }

    /** Uniform in [min, max], also when min == max (SplittableRandom rejects an empty range). */
    private static double uniform(SplittableRandom random, double min, double max) {
        return min + (max - min) * random.nextDouble();
    }

    private static double factor(SplittableRandom random, double strength) {
        return strength > 0 ? uniform(random, Math.max(0, 1 - strength), 1 + strength) : 1;
    }

    private static List<JitterOp> permutation(SplittableRandom random) {
        JitterOp[] ops = OPS.clone();
        for (int i = ops.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            JitterOp t = ops[i];
            ops[i] = ops[j];
            ops[j] = t;
        }
        return List.of(ops);
    }
}
