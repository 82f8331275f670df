package io.selfsup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AugmentationSheetTest {

    /** Images above 32 pixels are enlarged less: 48-pixel ones twice, 96-pixel ones not at all. */
    @ParameterizedTest
    @CsvSource({"48, 2", "96, 1", "224, 1"})
    void largerImagesAreEnlargedLess(int side, int scale) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = manager.zeros(new Shape(2, 3, side, side));
            BufferedImage sheet = AugmentationSheet.render(images, images);
            int cell = side * scale + 4;
            assertEquals(4 + 2 * cell, sheet.getWidth());
            assertEquals(4 + 2 * cell, sheet.getHeight());
        }
    }

    @Test
    void drawsOriginalsThenViewOneThenViewTwoEachTripled() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // two 2x2 images: originals red, first views green, second views blue, in [-1, 1] terms
            NDArray originals = manager.full(new Shape(2, 3, 2, 2), -1f);
            originals.set(new NDIndex(":, 0"), 1f);
            NDArray view1 = manager.full(new Shape(2, 3, 2, 2), -1f);
            view1.set(new NDIndex(":, 1"), 1f);
            NDArray view2 = manager.full(new Shape(2, 3, 2, 2), -1f);
            view2.set(new NDIndex(":, 2"), 1f);
            BufferedImage sheet = AugmentationSheet.render(originals, view1, view2);
            int cell = 2 * 3 + 4;
            assertEquals(4 + 2 * cell, sheet.getWidth());
            assertEquals(4 + 3 * cell, sheet.getHeight());
            assertEquals(0xFF0000, sheet.getRGB(4 + cell + 5, 4 + 5) & 0xFFFFFF, "original 1, last pixel: red");
            assertEquals(0x00FF00, sheet.getRGB(4, 4 + cell) & 0xFFFFFF, "view 1: green");
            assertEquals(0x0000FF, sheet.getRGB(4, 4 + 2 * cell) & 0xFFFFFF, "view 2: blue");
            assertEquals(0xFFFFFF, sheet.getRGB(4 + 6, 4) & 0xFFFFFF, "gap between images: white");
        }
    }

    /** Multi-crop: a row of smaller local views is drawn at its own size under the global views, in cells as wide. */
    @Test
    void drawsLocalViewsAtTheirOwnSizeBelowTheGlobalOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray originals = manager.full(new Shape(2, 3, 4, 4), -1f);
            NDArray global = manager.full(new Shape(2, 3, 4, 4), 1f);
            NDArray local = manager.full(new Shape(2, 3, 2, 2), -1f);
            local.set(new NDIndex(":, 0"), 1f);
            BufferedImage sheet = AugmentationSheet.render(originals, global, global, local);
            int cell = 4 * 3 + 4;
            assertEquals(4 + 2 * cell, sheet.getWidth());
            assertEquals(4 + 3 * cell + 2 * 3 + 4, sheet.getHeight());
            int top = 4 + 3 * cell;
            assertEquals(0xFF0000, sheet.getRGB(4 + cell + 5, top + 5) & 0xFFFFFF, "local view of image 2: red");
            assertEquals(0xFFFFFF, sheet.getRGB(4 + cell + 6, top) & 0xFFFFFF, "beside the local view: white");
        }
    }

    @Test
    void rejectsViewsOfAnotherShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.zeros(new Shape(2, 3, 2, 2));
            NDArray b = manager.zeros(new Shape(1, 3, 2, 2));
            assertThrows(IllegalArgumentException.class, () -> AugmentationSheet.render(a, a, b));
        }
    }
}
