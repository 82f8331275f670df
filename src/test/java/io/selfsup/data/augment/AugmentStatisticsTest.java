package io.selfsup.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Proves that {@link ViewParameters#sample} draws what the recipe says: event frequencies within five
 * binomial standard deviations of their probabilities, crops inside the recipe's area and ratio ranges,
 * torchvision's centre-crop fallback, factor ranges and uniformly drawn jitter orders. Fixed seeds, so a
 * pass is not luck that can run out.
 */
class AugmentStatisticsTest {

    private static final int DRAWS = 20_000;

    @Test
    void eventFrequenciesMatchTheRecipesProbabilities() {
        AugmentationRecipe r = new AugmentationRecipe(0.2, 1, 0.75, 4.0 / 3, 0.5, 0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 0.3);
        SplittableRandom random = new SplittableRandom(42);
        int flips = 0;
        int jitters = 0;
        int grays = 0;
        int solarized = 0;
        for (int i = 0; i < DRAWS; i++) {
            ViewParameters p = ViewParameters.sample(r, random, 32, 32);
            flips += p.flip() ? 1 : 0;
            jitters += p.jitter() ? 1 : 0;
            grays += p.grayscale() ? 1 : 0;
            solarized += p.solarize() ? 1 : 0;
        }
        assertBinomial("flip", flips, 0.5);
        assertBinomial("jitter", jitters, 0.8);
        assertBinomial("grayscale", grays, 0.2);
        assertBinomial("solarize", solarized, 0.3);
    }

    @Test
    void cropsStayInTheRecipesAreaAndRatioRangesUpToRounding() {
        for (AugmentationRecipe r : List.of(AugmentationRecipe.simclr(), AugmentationRecipe.byolFirst())) {
            SplittableRandom random = new SplittableRandom(7);
            double smallest = 1;
            for (int i = 0; i < DRAWS; i++) {
                ViewParameters p = ViewParameters.sample(r, random, 32, 32);
                int h = p.cropHeight();
                int w = p.cropWidth();
                assertTrue(p.top() + h <= 32 && p.left() + w <= 32, "crop inside the image: " + p);
                // each side is a real number rounded to the nearest integer, so it may be off by half a pixel
                assertTrue((w + 0.5) * (h + 0.5) >= r.cropScaleMin() * 1024, "area too small: " + p);
                assertTrue((w - 0.5) * (h - 0.5) <= r.cropScaleMax() * 1024, "area too large: " + p);
                assertTrue((w + 0.5) / (h - 0.5) >= r.cropRatioMin(), "too tall: " + p);
                assertTrue((w - 0.5) / (h + 0.5) <= r.cropRatioMax(), "too wide: " + p);
                smallest = Math.min(smallest, h * w / 1024.0);
            }
            assertTrue(smallest < r.cropScaleMin() + 0.02, "the small end of the range is reached: " + smallest);
        }
    }

    @Test
    void impossibleCropsFallBackToTorchvisionsCentreCrop() {
        // a 10x40 image cannot hold a 3/4..4/3 crop of 90% of its area, so all ten tries fail
        AugmentationRecipe r = new AugmentationRecipe(0.9, 1, 0.75, 4.0 / 3, 0, 0, 0, 0, 0, 0, 0, 0);
        ViewParameters p = ViewParameters.sample(r, new SplittableRandom(1), 10, 40);
        assertEquals(List.of(0, 13, 10, 13), List.of(p.top(), p.left(), p.cropHeight(), p.cropWidth()),
                "height kept, width round(10 * 4/3), centred");
        ViewParameters tall = ViewParameters.sample(r, new SplittableRandom(1), 40, 10);
        assertEquals(List.of(13, 0, 13, 10), List.of(tall.top(), tall.left(), tall.cropHeight(), tall.cropWidth()));
    }

    @Test
    void jitterFactorsStayInRangeAndAllTwentyFourOrdersAreEquallyLikely() {
        AugmentationRecipe r = AugmentationRecipe.byolFirst();
        SplittableRandom random = new SplittableRandom(3);
        Map<List<ViewParameters.JitterOp>, Integer> orders = new HashMap<>();
        int jittered = 0;
        for (int i = 0; i < DRAWS; i++) {
            ViewParameters p = ViewParameters.sample(r, random, 32, 32);
            if (!p.jitter()) {
                assertEquals(List.of(1.0, 1.0, 1.0, 0.0), List.of(p.brightness(), p.contrast(), p.saturation(), p.hue()),
                        "no jitter, neutral factors");
                continue;
            }
            jittered++;
            assertTrue(p.brightness() >= 0.6 && p.brightness() <= 1.4, "brightness " + p.brightness());
            assertTrue(p.contrast() >= 0.6 && p.contrast() <= 1.4, "contrast " + p.contrast());
            assertTrue(p.saturation() >= 0.8 && p.saturation() <= 1.2, "saturation " + p.saturation());
            assertTrue(Math.abs(p.hue()) <= 0.1, "hue " + p.hue());
            orders.merge(p.jitterOrder(), 1, Integer::sum);
        }
        assertEquals(24, orders.size(), "every permutation occurs");
        for (int count : orders.values()) {
            double mean = jittered / 24.0;
            assertTrue(Math.abs(count - mean) <= 5 * Math.sqrt(mean * (1 - 1 / 24.0)), "order count " + count);
        }
    }

    @Test
    void recipesRejectImpossibleValuesWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AugmentationRecipe(0.5, 0.4, 0.75, 1.33, 0.5, 0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 0));
        assertTrue(e.getMessage().contains("crop scale"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AugmentationRecipe(0.2, 1, 0.75, 1.33, 1.5, 0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 0));
        assertTrue(e.getMessage().contains("flip probability"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AugmentationRecipe(0.2, 1, 0.75, 1.33, 0.5, 0.4, 0.4, 0.4, 0.6, 0.8, 0.2, 0));
        assertTrue(e.getMessage().contains("hue"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AugmentationRecipe(0.2, 1, 0.75, 1.33, 0.5, -0.1, 0.4, 0.4, 0.1, 0.8, 0.2, 0));
        assertTrue(e.getMessage().contains("brightness"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AugmentationRecipe(0.2, 1, 2, 1, 0.5, 0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 0));
        assertTrue(e.getMessage().contains("crop ratio"), e.getMessage());
    }

    @Test
    void theFactoriesHoldTheDocumentedSettings() {
        AugmentationRecipe byol2 = AugmentationRecipe.byolSecond();
        assertEquals(0.08, byol2.cropScaleMin());
        assertEquals(0.2, byol2.saturation());
        assertEquals(0.2, byol2.solarizeProbability());
        assertEquals(0.0, AugmentationRecipe.byolFirst().solarizeProbability());
        AugmentationRecipe simclr = AugmentationRecipe.simclr();
        assertEquals(List.of(0.2, 0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 0.0), List.of(simclr.cropScaleMin(),
                simclr.brightness(), simclr.contrast(), simclr.saturation(), simclr.hue(), simclr.jitterProbability(),
                simclr.grayscaleProbability(), simclr.solarizeProbability()));
    }

    private static void assertBinomial(String what, int count, double p) {
        double mean = DRAWS * p;
        double sigma = Math.sqrt(DRAWS * p * (1 - p));
        assertTrue(Math.abs(count - mean) <= 5 * sigma,
                what + ": " + count + " of " + DRAWS + ", expected " + mean + " +- " + 5 * sigma);
    }
}
