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
 * one recipe for both views; {@link #mocoV2()} is solo-learn's mocov2plus.yaml, without its blur.
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
 */
public record AugmentationRecipe(double cropScaleMin, double cropScaleMax, double cropRatioMin,
                                 double cropRatioMax, double flipProbability, double brightness, double contrast,
                                 double saturation, double hue, double jitterProbability,
                                 double grayscaleProbability, double solarizeProbability) {

    private static final double RATIO_MIN = 3.0 / 4.0;
    private static final double RATIO_MAX = 4.0 / 3.0;

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
     * with p 0.5 (sigma 0.1..2), which this augmenter does not have.
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

    /** The recipe as config.json records it, field names in snake case. */
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

    /** Reads what {@link #toMap} wrote (numbers as JSON parsers give them). */
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
