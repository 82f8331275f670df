package io.selfsup.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.selfsup.data.augment.ViewAugmenter;
import io.selfsup.data.augment.ViewPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The views a method trains on, batch by batch: the plain normalized images when it has no augmentation
 * recipe, otherwise its global views, one per recipe, then its local views ({@link ViewPlan}). Random choices
 * depend only on (seed, epoch, batch, view), so a resumed run draws the very views an uninterrupted one would,
 * and the global views do not change with the number of local ones.
 */
public final class ViewBatches {

    private final ImageStore images;
    private final BatchLoader plain;
    /** One per view; the local views share one augmenter, which is called for one view at a time. */
    private final List<ViewAugmenter> augmenters;
    private final int batchSize;
    private final long seed;

    public ViewBatches(ImageStore images, ViewPlan plan, int batchSize, long seed) {
        this.images = images;
        this.plain = new BatchLoader(images, batchSize);
        List<ViewAugmenter> views = new ArrayList<>();
        for (int v = 0; v < plan.globalCount(); v++) {
            views.add(new ViewAugmenter(plan.recipe(v), plan.globalSize(), batchSize));
        }
        if (plan.localCount() > 0) {
            ViewAugmenter local = new ViewAugmenter(plan.recipe(plan.globalCount()), plan.localSize(), batchSize);
            for (int v = 0; v < plan.localCount(); v++) {
                views.add(local);
            }
        }
        this.augmenters = List.copyOf(views);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int size() {
        return images.size();
    }

    /** Whether the views are augmented (as the plan says) rather than the plain images. */
    public boolean augmented() {
        return !augmenters.isEmpty();
    }

    /**
     * Batches per epoch. Augmented views drop the last partial batch, as the PyTorch recipes do: a handful
     * of images makes a poor contrastive batch and poor batch-norm statistics.
     */
    public int batchesPerEpoch() {
        return batchesPerEpoch(images.size(), batchSize, augmented());
    }

    /** Images an epoch trains on: all of them, less a dropped partial batch. */
    public int imagesPerEpoch() {
        return imagesPerEpoch(images.size(), batchSize, augmented());
    }

    /** {@link #batchesPerEpoch()} of {@code images} images, before any batch is made. */
    public static int batchesPerEpoch(int images, int batchSize, boolean augmented) {
        int full = images / batchSize;
        if (!augmented || full == 0) {
            return (images + batchSize - 1) / batchSize;
        }
        return full;
    }

    /** {@link #imagesPerEpoch()} of {@code images} images, before any batch is made. */
    public static int imagesPerEpoch(int images, int batchSize, boolean augmented) {
        return Math.min(images, batchesPerEpoch(images, batchSize, augmented) * batchSize);
    }

    /** The first image of batch {@code batch}. */
    public int firstImage(int batch) {
        return batch * batchSize;
    }

    /** One past the last image of batch {@code batch}. */
    public int endImage(int batch) {
        return Math.min(images.size(), firstImage(batch) + batchSize);
    }

    /** Views of images order[from..to); random choices depend only on (seed, epoch, batch, view). */
    public NDList views(NDManager manager, int[] order, int from, int to, int epoch, int batch, Device device) {
        if (augmenters.isEmpty()) {
            return new NDList(plain.load(manager, order, from, to, device));
        }
        NDList views = new NDList(augmenters.size());
        for (int v = 0; v < augmenters.size(); v++) {
            views.add(augmenters.get(v).load(manager, images, order, from, to,
                    ViewAugmenter.batchSeed(seed, epoch, batch, v), device));
        }
        return views;
    }

    /** Images order[from..to) plain, normalized and unaugmented: what the views were made from. */
    public NDArray originals(NDManager manager, int[] order, int from, int to, Device device) {
        return plain.load(manager, order, from, to, device);
    }
}
