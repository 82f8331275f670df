package io.selfsup.data.augment;

/**
 * How one view of an image is made, in torchvision's terms: RandomResizedCrop(scale, ratio),
 * RandomHorizontalFlip(p), RandomApply([ColorJitter(brightness, contrast, saturation, hue)], p),
 * RandomGrayscale(p), RandomSolarize(0.5, p).
 *
 * <p>The factories hold the CIFAR settings of the methods: {@link #simclr()} follows the SimCLR paper's
 * CIFAR-10 colour distortion (strength 0.5: jitter 0.8s/0.8s/0.8s/0.2s, p 0.8; grayscale p 0.2) with the
 * crop scale 0.2..1 that lightly and the usual CIFAR reproductions use instead of ImageNet's 0.08 (32x32
 * crops of 8% of the image are mostly blur); the BYOL pair is solo-learn's scripts/pretrain/cifar/byol.yaml,
 * whose two views differ only in solarization; {@link #vicreg()} is solo-learn's scripts/pretrain/cifar/vicreg.yaml,
 * one recipe for both views; {@link #mocoV2()} is solo-learn's mocov2plus.yaml, its blur left to the image size as
 * every recipe's (none below 96 pixels).
 *
 * @param cropScaleMin smallest crop area as a fraction of the image, in (0, 1]
 * @param cropScaleMax largest crop area as a fraction of the image, in [cropScaleMin, 1]
 * @param cropRatioMin smallest crop aspect ratio (width / height), positive
 * @param cropRatioMax largest crop aspect ratio, at least cropRatioMin
 * @param flipProbability chance of a horizontal flip
 * @param brightness jitter strength: factor uniform in [max(0, 1 - s), 1 + s]; 0 leaves brightness alone
 * @param contrast jitter strength, as brightness
 * @param saturation jitter strength, as brightness
 * @param hue jitter strength in [0, 0.5]: hue shifted by a uniform draw in [-hue, hue] turns
 * @param jitterProbability chance that the colour jitter applies at all
 * @param grayscaleProbability chance of converting to grayscale (kept as 3 equal channels)
 * @param solarizeProbability chance of inverting every value at or above 0.5
 * @param blurProbability chance of torchvision's GaussianBlur (kernel a tenth of the view's side, made odd; sigma
 *                        uniform in 0.1..2), after grayscale and before solarization as the ImageNet recipes order
 *                        them; NaN for the image size's default, {@link #blurProbabilityAt}
 */
public record AugmentationRecipe(double cropScaleMin, double cropScaleMax, double cropRatioMin,
                                 double cropRatioMax, double flipProbability, double brightness, double contrast,
                                 double saturation, double hue, double jitterProbability,
                                 double grayscaleProbability, double solarizeProbability, double blurProbability) {

    private static final double RATIO_MIN = 3.0 / 4.0;
    private static final double RATIO_MAX = 4.0 / 3.0;
    /** From this image size on, views are blurred by default, as the ImageNet recipes (96 is STL-10's size). */
    public static final int BLUR_FROM_SIZE = 96;
    /** The ImageNet recipes' chance of a blur (SimCLR's; lightly's SimCLR, VICReg and MoCo v2 transforms). */
    public static final double DEFAULT_BLUR = 0.5;
    public static final double BLUR_SIGMA_MIN = 0.1;
    public static final double BLUR_SIGMA_MAX = 2.0;

    /** A recipe with the image size's default blur. */
    public AugmentationRecipe(double cropScaleMin, double cropScaleMax, double cropRatioMin, double cropRatioMax,
                              double flipProbability, double brightness, double contrast, double saturation,
                              double hue, double jitterProbability, double grayscaleProbability,
                              double solarizeProbability) {
        this(cropScaleMin, cropScaleMax, cropRatioMin, cropRatioMax, flipProbability, brightness, contrast,
                saturation, hue, jitterProbability, grayscaleProbability, solarizeProbability, Double.NaN);
    }

    public AugmentationRecipe {
        if (!(cropScaleMin > 0 && cropScaleMin <= cropScaleMax && cropScaleMax <= 1)) {
            throw new IllegalArgumentException("crop scale must satisfy 0 < min <= max <= 1, got "
                    + cropScaleMin + ".." + cropScaleMax);
        }
        if (!(cropRatioMin > 0 && cropRatioMin <= cropRatioMax && Double.isFinite(cropRatioMax))) {
            throw new IllegalArgumentException("crop ratio must satisfy 0 < min <= max < infinity, got "
                    + cropRatioMin + ".." + cropRatioMax);
        }
        probability("flip", flipProbability);
        probability("jitter", jitterProbability);
        probability("grayscale", grayscaleProbability);
        probability("solarize", solarizeProbability);
        if (!Double.isNaN(blurProbability)) {
            probability("blur", blurProbability);
        }
        strength("brightness", brightness);
        strength("contrast", contrast);
        strength("saturation", saturation);
        if (!(hue >= 0 && hue <= 0.5)) {
            throw new IllegalArgumentException("hue jitter must be in [0, 0.5] (a shift of at most half a turn), got "
                    + hue);
        }
    }

    /** SimCLR on CIFAR: crop 0.2..1, flip 0.5, jitter 0.4/0.4/0.4/0.1 with p 0.8, grayscale 0.2, no solarize. */
    public static AugmentationRecipe simclr() {
        return new AugmentationRecipe(0.2, 1.0, RATIO_MIN, RATIO_MAX, 0.5, 0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 0.0);
    }

    /** BYOL's first view on CIFAR (solo-learn): crop 0.08..1, jitter 0.4/0.4/0.2/0.1 p 0.8, gray 0.2. */
    public static AugmentationRecipe byolFirst() {
        return byol(0.0);
    }

    /** BYOL's second view on CIFAR (solo-learn): as the first, plus solarization with p 0.2. */
    public static AugmentationRecipe byolSecond() {
        return byol(0.2);
    }

    /**
     * MoCo v2+ on CIFAR, both views (solo-learn's scripts/pretrain/cifar/augmentations/symmetric_weak.yaml):
     * crop 0.08..1, flip 0.5, jitter 0.4/0.4/0.4/0.1 p 0.8, grayscale 0.2, no solarize. That file also blurs
     * with p 0.5 (sigma 0.1..2), which here applies from 96 pixels, as for every recipe.
     */
    public static AugmentationRecipe mocoV2() {
        return new AugmentationRecipe(0.08, 1.0, RATIO_MIN, RATIO_MAX, 0.5, 0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 0.0);
    }

    private static AugmentationRecipe byol(double solarize) {
        return new AugmentationRecipe(0.08, 1.0, RATIO_MIN, RATIO_MAX, 0.5, 0.4, 0.4, 0.2, 0.1, 0.8, 0.2, solarize);
    }

    /** VICReg on CIFAR (solo-learn): crop 0.2..1, jitter 0.4/0.4/0.2/0.1 p 0.8, gray 0.2, solarize 0.1. */
    public static AugmentationRecipe vicreg() {
        return new AugmentationRecipe(0.2, 1.0, RATIO_MIN, RATIO_MAX, 0.5, 0.4, 0.4, 0.2, 0.1, 0.8, 0.2, 0.1);
    }

    /** The chance of a blur for views of images of {@code imageSize} pixels: the recipe's, or the size's default. */
    public double blurProbabilityAt(int imageSize) {
        return !Double.isNaN(blurProbability) ? blurProbability : imageSize >= BLUR_FROM_SIZE ? DEFAULT_BLUR : 0;
    }

    /** This recipe with the blur it has for images of {@code imageSize} pixels written out. */
    public AugmentationRecipe resolvedAt(int imageSize) {
        return withBlur(blurProbabilityAt(imageSize));
    }

    /** This recipe with the chance of a blur {@code p} (NaN: the image size's default). */
    public AugmentationRecipe withBlur(double p) {
        return new AugmentationRecipe(cropScaleMin, cropScaleMax, cropRatioMin, cropRatioMax, flipProbability,
                brightness, contrast, saturation, hue, jitterProbability, grayscaleProbability, solarizeProbability, p);
    }

    /** The side of the blur's kernel for views of {@code side} pixels: a tenth of it, odd, at least 3. */
    public static int blurKernel(int side) {
        int k = Math.max(3, side / 10);
        return k % 2 == 1 ? k : k + 1;
    }

    /** The recipe as config.json records it for images of {@code imageSize} pixels, field names in snake case. */
    public java.util.Map<String, Object> toMap(int imageSize) {
        java.util.Map<String, Object> m = toMap();
        m.put("blur_p", blurProbabilityAt(imageSize));
        return m;
    }

    /** The recipe as config.json records it, field names in snake case, without the blur. */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("crop_scale", java.util.List.of(cropScaleMin, cropScaleMax));
        m.put("crop_ratio", java.util.List.of(cropRatioMin, cropRatioMax));
        m.put("flip_p", flipProbability);
        m.put("jitter", java.util.List.of(brightness, contrast, saturation, hue));
        m.put("jitter_p", jitterProbability);
        m.put("grayscale_p", grayscaleProbability);
        m.put("solarize_p", solarizeProbability);
        return m;
    }

    /**
     * Reads what {@link #toMap(int)} wrote for images of {@code imageSize} pixels (numbers as JSON parsers give
     * them); a recipe written before blurs were recorded has none, and a blur that is the size's default reads back
     * as that default, as it was given.
     */
    public static AugmentationRecipe fromMap(java.util.Map<String, Object> m, int imageSize) {
        AugmentationRecipe r = fromMap(m);
        if (m.get("blur_p") == null) {
            return r.withBlur(0);
        }
        double p = number(m.get("blur_p"));
        return r.withBlur(p == r.blurProbabilityAt(imageSize) ? Double.NaN : p);
    }

    /** Reads what {@link #toMap} wrote (numbers as JSON parsers give them), with the image size's default blur. */
    public static AugmentationRecipe fromMap(java.util.Map<String, Object> m) {
        java.util.List<?> scale = (java.util.List<?>) m.get("crop_scale");
        java.util.List<?> ratio = (java.util.List<?>) m.get("crop_ratio");
        java.util.List<?> jitter = (java.util.List<?>) m.get("jitter");
        return new AugmentationRecipe(number(scale.get(0)), number(scale.get(1)), number(ratio.get(0)),
                number(ratio.get(1)), number(m.get("flip_p")), number(jitter.get(0)), number(jitter.get(1)),
                number(jitter.get(2)), number(jitter.get(3)), number(m.get("jitter_p")), number(m.get("grayscale_p")),
                number(m.get("solarize_p")));
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " probability must be in [0, 1], got " + p);
        }
    }

    private static void strength(String name, double s) {
        if (!(s >= 0 && Double.isFinite(s))) {
            throw new IllegalArgumentException(name + " jitter strength must be finite and >= 0, got " + s);
        }
    }
}
