package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.JsonUtils;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewParameters;
import io.selfsup.data.augment.ViewPlan;
import io.selfsup.method.MethodConfig;
import io.selfsup.nn.BackboneType;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Multi-crop's views: every view at its size, local crops drawn within the local scale range with the first global
 * recipe's colour distortion, the views a function of (seed, epoch, batch, view) only, the global views the same
 * whatever the number of local ones, and the plan recorded in and read back from config.json (old configs: none).
 */
class MultiCropViewsTest {

    private static final int[] ORDER = EpochOrder.sequential(12);

    /** 12 random images, 3 x 32 x 32, or 1 channel (a gray folder). */
    private static ImageStore images(int channels) {
        byte[] pixels = new byte[12 * channels * 32 * 32];
        new SplittableRandom(5).nextBytes(pixels);
        return new ImageStore(pixels, null, List.of(), channels, 32, 32);
    }

    private static ViewPlan simclr(int local) {
        return ViewPlan.of(List.of(AugmentationRecipe.simclr(), AugmentationRecipe.simclr()), 32)
                .withLocalCrops(local, 16, 0.05, 0.3);
    }

    private static NDList views(NDManager manager, ImageStore images, ViewPlan plan, long seed, int epoch, int batch) {
        return new ViewBatches(images, plan, 12, seed).views(manager, ORDER, 0, 12, epoch, batch, Device.cpu());
    }

    @Test
    void globalViewsComeFirstAtTheirSizeThenTheLocalViewsAtTheirs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int channels : new int[] {3, 1}) {
                NDList views = views(manager, images(channels), simclr(3).withLocalCrops(3, 12, 0.05, 0.3), 1, 1, 0);
                assertEquals(5, views.size());
                for (int v = 0; v < 5; v++) {
                    int side = v < 2 ? 32 : 12;
                    assertEquals(new Shape(12, 3, side, side), views.get(v).getShape(), "view " + v);
                    assertTrue(views.get(v).abs().max().getFloat() <= 1f, "normalized to [-1, 1]");
                }
            }
        }
    }

    @Test
    void localCropsStayInTheLocalScaleRangeWithTheFirstGlobalRecipesColours() {
        AugmentationRecipe byol = AugmentationRecipe.byolSecond();
        ViewPlan plan = ViewPlan.of(List.of(AugmentationRecipe.byolFirst(), byol), 32).withLocalCrops(2, 16, 0.05, 0.3);
        AugmentationRecipe local = plan.local();
        assertEquals(List.of(0.05, 0.3), List.of(local.cropScaleMin(), local.cropScaleMax()));
        assertEquals(AugmentationRecipe.byolFirst(), new AugmentationRecipe(0.08, 1, local.cropRatioMin(),
                local.cropRatioMax(), local.flipProbability(), local.brightness(), local.contrast(), local.saturation(),
                local.hue(), local.jitterProbability(), local.grayscaleProbability(), local.solarizeProbability()),
                "all but the crop scale is the first view's recipe");
        SplittableRandom random = new SplittableRandom(9);
        double smallest = 1;
        double largest = 0;
        for (int i = 0; i < 20_000; i++) {
            ViewParameters p = ViewParameters.sample(local, random, 32, 32);
            int h = p.cropHeight();
            int w = p.cropWidth();
            assertTrue(p.top() + h <= 32 && p.left() + w <= 32, "crop inside the image: " + p);
            // sides are rounded to whole pixels, so the area may be off by half a pixel on each side
            assertTrue((w + 0.5) * (h + 0.5) >= 0.05 * 1024, "area too small: " + p);
            assertTrue((w - 0.5) * (h - 0.5) <= 0.3 * 1024, "area too large: " + p);
            smallest = Math.min(smallest, h * w / 1024.0);
            largest = Math.max(largest, h * w / 1024.0);
        }
        assertTrue(smallest < 0.07 && largest > 0.27, "both ends of the range are reached: " + smallest + ".."
                + largest);
    }

    @Test
    void viewsAreAFunctionOfSeedEpochBatchAndViewOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ImageStore images = images(3);
            NDList a = views(manager, images, simclr(3), 4, 2, 1);
            NDList again = views(manager, images, simclr(3), 4, 2, 1);
            for (int v = 0; v < a.size(); v++) {
                assertEquals(a.get(v), again.get(v), "view " + v + " drawn again");
            }
            assertNotEquals(a.get(2), a.get(3), "each local view draws its own crops");
            assertNotEquals(a.get(3), a.get(4), "each local view draws its own crops");
            NDList otherEpoch = views(manager, images, simclr(3), 4, 3, 1);
            NDList otherBatch = views(manager, images, simclr(3), 4, 2, 2);
            NDList otherSeed = views(manager, images, simclr(3), 5, 2, 1);
            for (NDList other : List.of(otherEpoch, otherBatch, otherSeed)) {
                for (int v = 0; v < a.size(); v++) {
                    assertNotEquals(a.get(v), other.get(v), "view " + v);
                }
            }
        }
    }

    @Test
    void addingLocalViewsLeavesTheGlobalViewsDrawsUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ImageStore images = images(3);
            NDList none = views(manager, images, simclr(0), 8, 1, 0);
            NDList two = views(manager, images, simclr(2), 8, 1, 0);
            NDList six = views(manager, images, simclr(6), 8, 1, 0);
            assertEquals(2, none.size());
            for (int v = 0; v < 2; v++) {
                assertEquals(none.get(v), two.get(v), "global view " + v + " with 2 local views");
                assertEquals(none.get(v), six.get(v), "global view " + v + " with 6 local views");
            }
            assertEquals(two.get(3), six.get(3), "local view 2 is the same whatever follows it");
        }
    }

    @Test
    void aPlanRefusesLocalViewsNotSmallerThanTheGlobalOnesOrWithoutGlobalViews() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> simclr(2).withLocalCrops(2, 32, 0.05, 0.3));
        assertTrue(size.getMessage().contains("smaller than the 32-pixel global views"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> simclr(2).withLocalCrops(2, 16, 0.3, 0.05));
        assertThrows(IllegalArgumentException.class, () -> ViewPlan.NONE.withLocalCrops(1, 16, 0.05, 0.3));
        assertEquals(ViewPlan.NONE, ViewPlan.NONE.withLocalCrops(0, 16, 0.05, 0.3));
    }

    @Test
    @SuppressWarnings("unchecked")
    void configJsonRecordsTheLocalViewsAndAnOlderConfigHasNone() {
        MethodConfig byol = MethodConfig.defaults("byol", BackboneType.RESNET18, 8);
        MethodConfig multi = byol.withViews(byol.views().withLocalCrops(4, 12, 0.1, 0.2));
        Map<String, Object> json = JsonUtils.GSON.fromJson(JsonUtils.GSON.toJson(multi.toMap()), Map.class);
        assertEquals(4.0, json.get("local_crops"));
        assertEquals(12.0, json.get("local_crop_size"));
        MethodConfig read = MethodConfig.fromMap(json);
        assertEquals(multi, read);
        assertEquals(2, read.globalViews());
        assertEquals(6, read.views().count());

        json.remove("local_crops");
        json.remove("local_crop_size");
        json.remove("local_view");
        assertEquals(byol, MethodConfig.fromMap(json), "a config.json without the keys: no local views");
        assertEquals(0, MethodConfig.fromMap(json).views().localCount());
    }
}
