package io.selfsup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ReconstructionGridTest {

    @Test
    void drawsOriginalsAboveReconstructionsInDisplayColours() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // two 2x2 images: the first pure red in [-1, 1] terms, reconstructions pure blue
            NDArray originals = manager.full(new Shape(2, 3, 2, 2), -1f);
            originals.set(new ai.djl.ndarray.index.NDIndex("0, 0"), 1f);
            NDArray reconstructions = manager.full(new Shape(2, 3, 2, 2), -1f);
            reconstructions.set(new ai.djl.ndarray.index.NDIndex(":, 2"), 1f);
            BufferedImage picture = ReconstructionGrid.render(originals, reconstructions);
            assertEquals(4 + 2 * (2 * 4 + 4), picture.getWidth());
            assertEquals(0xFF0000, picture.getRGB(4, 4) & 0xFFFFFF, "original 0 is red");
            assertEquals(0x000000, picture.getRGB(4 + 12, 4) & 0xFFFFFF, "original 1 is black");
            assertEquals(0x0000FF, picture.getRGB(4, 4 + 12) & 0xFFFFFF, "reconstruction is blue");
        }
    }
}
