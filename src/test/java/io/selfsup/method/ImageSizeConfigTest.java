package io.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.util.JsonUtils;
import io.selfsup.SelfsupException;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewPlan;
import io.selfsup.nn.BackboneType;
import io.selfsup.nn.Stem;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the image size decides in a method's config: the stem (CIFAR's up to 32 pixels, torchvision's above, unless
 * asked), the local crops' size (the same fraction of the image), the default blur (0.5 from 96 pixels, none below,
 * unless asked), all of it recorded in config.json and read back as it was given; sizes a backbone cannot take are
 * refused with the fix.
 */
class ImageSizeConfigTest {

    private static MethodConfig simclr(int size) {
        return MethodConfig.defaults("simclr", BackboneType.RESNET18, 16).withImageSize(size);
    }

    @Test
    void theStemFollowsTheSizeUnlessAskedFor() {
        assertEquals(Stem.CIFAR, simclr(32).stem());
        assertEquals(Stem.STANDARD, simclr(33).stem());
        assertEquals(Stem.CIFAR, simclr(96).withStem(Stem.CIFAR).stem());
        assertNull(MethodConfig.defaults("autoencoder", BackboneType.CONV2, 0).stem(), "conv2 has no stem");
    }

    @Test
    void viewsBlurFromNinetySixPixelsAsTheImageNetRecipesUnlessAskedNotTo() {
        assertEquals(0.0, simclr(32).views().recipe(0).blurProbability());
        assertEquals(0.0, simclr(64).views().recipe(1).blurProbability());
        assertEquals(AugmentationRecipe.DEFAULT_BLUR, simclr(96).views().recipe(0).blurProbability());
        assertEquals(AugmentationRecipe.DEFAULT_BLUR, simclr(224).views().recipe(1).blurProbability());
        MethodConfig sharp = simclr(96);
        sharp = sharp.withViews(ViewPlan.of(sharp.views().global().stream()
                .map(r -> r.withBlur(0)).toList(), 96));
        assertEquals(0.0, sharp.views().recipe(0).blurProbability(), "--blur-prob 0 at 96 pixels");
        assertEquals(9, AugmentationRecipe.blurKernel(96));
        assertEquals(23, AugmentationRecipe.blurKernel(224), "torchvision's 23 taps at ImageNet's size");
        assertEquals(3, AugmentationRecipe.blurKernel(32));
    }

    @Test
    void localCropsKeepTheirFractionOfTheImage() {
        MethodConfig multi = MethodConfig.defaults("vicreg", BackboneType.RESNET18, 16);
        multi = multi.withViews(multi.views().withLocalCrops(2, 16, 0.05, 0.3)).withImageSize(96);
        assertEquals(48, multi.views().localSize());
        assertEquals(96, multi.imageSize());
    }

    @Test
    void configJsonRecordsSizeStemAndBlurAndReadsThemBackAsGiven() {
        for (MethodConfig c : new MethodConfig[] {simclr(32), simclr(96), simclr(96).withStem(Stem.CIFAR),
                simclr(64).withViews(ViewPlan.of(simclr(64).views().global().stream()
                        .map(r -> r.withBlur(0.3)).toList(), 64))}) {
            Map<String, Object> written = c.toMap();
            assertEquals(c.imageSize(), written.get("image_size"));
            assertEquals(c.stem().id(), written.get("stem"));
            @SuppressWarnings("unchecked")
            Map<String, Object> json = JsonUtils.GSON.fromJson(JsonUtils.GSON.toJson(written), Map.class);
            MethodConfig read = MethodConfig.fromMap(json);
            assertEquals(c, read);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> view = ((java.util.List<Map<String, Object>>) simclr(96).toMap().get("views")).get(0);
        assertEquals(0.5, view.get("blur_p"), "the blur a run draws is written out");
    }

    @Test
    void aSizeTheBackboneCannotTakeIsRefusedWithTheFix() {
        SelfsupException e = assertThrows(SelfsupException.class,
                () -> MethodConfig.defaults("autoencoder", BackboneType.CONV2, 0).withImageSize(64));
        assertEquals(true, e.getMessage().contains("--backbone resnet18"), e.getMessage());
        assertThrows(SelfsupException.class, () -> simclr(4));
        assertThrows(SelfsupException.class, () -> simclr(2048));
    }
}
