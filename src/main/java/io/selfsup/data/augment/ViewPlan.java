package io.selfsup.data.augment;

import io.selfsup.Limits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The views a method trains on: its global views, one recipe each, then {@code localCount} small local views
 * (SwAV's and DINO's multi-crop) drawn with one recipe at a smaller size. A network's input holds them in this
 * order, global views first; view v of a batch draws from the seed of (seed, epoch, batch, v), so adding local
 * views leaves the global views' draws unchanged.
 *
 * <p>The local recipe is the first global recipe (its colour distortion, flip and solarization) with the local
 * crop scale, as solo-learn's multi-crop pipelines reuse the method's augmentation with another crop.
 *
 * @param global one recipe per global view; empty for a method that trains on the image itself
 * @param globalSize side of the square global views in pixels
 * @param localCount local views per image, 0 for none
 * @param local how each local view is drawn; null only when there are no global views
 * @param localSize side of the square local views, smaller than {@code globalSize}
 */
public record ViewPlan(List<AugmentationRecipe> global, int globalSize, int localCount, AugmentationRecipe local,
                       int localSize) {

    /** Side of CIFAR's images, the global views' size. */
    public static final int CIFAR_SIZE = 32;
    /** The default local crop scale, between SwAV's 0.05..0.14 and DINO's 0.05..0.4. */
    public static final double LOCAL_SCALE_MIN = 0.05;
    public static final double LOCAL_SCALE_MAX = 0.3;

    /** No views: the 32-pixel image itself, normalized and unaugmented. */
    public static final ViewPlan NONE = none(CIFAR_SIZE);

    public ViewPlan {
        global = List.copyOf(global);
        if (globalSize < 2) {
            throw new IllegalArgumentException("views must be at least 2 pixels wide, got " + globalSize);
        }
        if (localCount < 0 || localCount > Limits.LOCAL_VIEWS) {
            throw new IllegalArgumentException("local crops must be between 0 and " + Limits.LOCAL_VIEWS + ", got "
                    + localCount);
        }
        if (global.isEmpty() && localCount > 0) {
            throw new IllegalArgumentException("local crops need a method that trains on augmented views");
        }
        if (!global.isEmpty() && local == null) {
            throw new IllegalArgumentException("a plan with global views needs a local recipe");
        }
        if (localSize < 1 || localSize >= globalSize) {
            throw new IllegalArgumentException("the local crop size must be between 1 and " + (globalSize - 1)
                    + " pixels, smaller than the " + globalSize + "-pixel global views, got " + localSize);
        }
    }

    /** No views: the image itself at {@code size} pixels, normalized and unaugmented. */
    public static ViewPlan none(int size) {
        return new ViewPlan(List.of(), size, 0, null, Math.max(1, size / 2));
    }

    /** The global views {@code global} at {@code size} pixels, no local views, the default local crop. */
    public static ViewPlan of(List<AugmentationRecipe> global, int size) {
        return global.isEmpty() ? none(size)
                : new ViewPlan(global, size, 0, withScale(global.get(0), LOCAL_SCALE_MIN, LOCAL_SCALE_MAX), size / 2);
    }

    /** This plan with {@code count} local views of {@code size} pixels, crops of scaleMin..scaleMax of the image. */
    public ViewPlan withLocalCrops(int count, int size, double scaleMin, double scaleMax) {
        return new ViewPlan(global, globalSize, count, global.isEmpty() ? null
                : withScale(global.get(0), scaleMin, scaleMax), size);
    }

    /**
     * This plan for images of {@code size} pixels: the global views at that size, the local views at the same
     * fraction of it as before (16 of 32 pixels become 48 of 96), the recipes unchanged.
     */
    public ViewPlan withImageSize(int size) {
        if (size == globalSize) {
            return this;
        }
        int local = (int) Math.max(1, Math.min(size - 1L, Math.round((double) localSize * size / globalSize)));
        return new ViewPlan(global, size, localCount, this.local, local);
    }

    /** Whether the views are augmented rather than the plain image. */
    public boolean augmented() {
        return !global.isEmpty();
    }

    /** Global views per image. */
    public int globalCount() {
        return global.size();
    }

    /** Views per image, global and local: the network's input arrays. */
    public int count() {
        return global.size() + localCount;
    }

    /** How view v (global ones first) is drawn, its blur the image size's when the recipe leaves it to the size. */
    public AugmentationRecipe recipe(int view) {
        return (view < global.size() ? global.get(view) : local).resolvedAt(globalSize);
    }

    /** The global recipes as views are drawn with them ({@link #recipe}). */
    public List<AugmentationRecipe> resolvedGlobal() {
        return global.stream().map(r -> r.resolvedAt(globalSize)).toList();
    }

    /** Side of view v in pixels. */
    public int size(int view) {
        return view < global.size() ? globalSize : localSize;
    }

    /** What config.json records about the local views, beside the global recipes under "views". */
    public Map<String, Object> localMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (augmented()) {
            m.put("local_crops", localCount);
            m.put("local_crop_size", localSize);
            m.put("local_view", local.toMap(globalSize));
        }
        return m;
    }

    /**
     * The plan a config recorded for images of {@code size} pixels: {@code global} and the local views of
     * {@link #localMap}'s keys in {@code m}; a config written before local views existed has none.
     */
    @SuppressWarnings("unchecked")
    public static ViewPlan fromMap(List<AugmentationRecipe> global, Map<String, Object> m, int size) {
        ViewPlan plan = of(global, size);
        if (!plan.augmented() || m.get("local_crops") == null) {
            return plan;
        }
        AugmentationRecipe local = AugmentationRecipe.fromMap((Map<String, Object>) m.get("local_view"), size);
        return new ViewPlan(global, size, ((Number) m.get("local_crops")).intValue(), local,
                ((Number) m.get("local_crop_size")).intValue());
    }

    private static AugmentationRecipe withScale(AugmentationRecipe r, double min, double max) {
        return new AugmentationRecipe(min, max, r.cropRatioMin(), r.cropRatioMax(), r.flipProbability(),
                r.brightness(), r.contrast(), r.saturation(), r.hue(), r.jitterProbability(),
                r.grayscaleProbability(), r.solarizeProbability(), r.blurProbability());
    }
}
