package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.ImageFactory;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AreaScaler} computes what AWT's area-averaging filter ({@code Image.SCALE_SMOOTH}, which DJL's
 * {@code Image.resize} and selfsup before it ran) computes: on random opaque pictures, down, up, by whole and
 * fractional factors, every value within 1 of AWT's (AWT sums in float and rounds), and most of them equal.
 */
class AreaScalerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"96, 96", "64, 32", "375, 96", "100, 32", "33, 32", "500, 224", "20, 32", "31, 96"})
    void resizesAsAwtsAreaAveragingDoes(int from, int to) {
        Random random = new Random(from * 1000L + to);
        BufferedImage picture = new BufferedImage(from, from, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < from; y++) {
            for (int x = 0; x < from; x++) {
                // smooth gradients plus noise: both flat areas and edges
                int r = (x * 255 / from + random.nextInt(40)) & 0xFF;
                int g = (y * 255 / from) & 0xFF;
                int b = random.nextInt(256);
                picture.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        byte[] ours = new byte[3 * to * to];
        AreaScaler.toPlanes(picture.getRGB(0, 0, from, from, null, 0, from), from, to, ours, 0);

        BufferedImage awt = new BufferedImage(to, to, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = awt.createGraphics();
        g.drawImage(picture.getScaledInstance(to, to, Image.SCALE_SMOOTH), 0, 0, null);
        g.dispose();
        int[] expected = awt.getRGB(0, 0, to, to, null, 0, to);
        int plane = to * to;
        int equal = 0;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                int want = (expected[p] >> (16 - 8 * c)) & 0xFF;
                int got = ours[c * plane + p] & 0xFF;
                assertTrue(Math.abs(want - got) <= 1, "pixel " + p + " channel " + c + ": AWT " + want + ", ours " + got);
                equal += want == got ? 1 : 0;
            }
        }
        assertTrue(equal >= 0.99 * 3 * plane, equal + " of " + 3 * plane + " values equal to AWT's");
    }

    /** An 8-bit gray picture keeps its values (128 stays 128), as Pillow's convert("RGB") keeps them. */
    @ParameterizedTest(name = "type {0}")
    @CsvSource({"10", "11"})
    void grayValuesAreKeptNotTakenAsLinearLight(int type) {
        BufferedImage gray = new BufferedImage(40, 40, type);
        int max = type == BufferedImage.TYPE_BYTE_GRAY ? 255 : 65535;
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                gray.getRaster().setSample(x, y, 0, x < 20 ? 128 * max / 255 : max / 5);
            }
        }
        byte[] planes = new byte[3 * 40 * 40];
        SquareImage.toPlanes(ImageFactory.getInstance().fromImage(gray), 40, planes, 0);
        for (int c = 0; c < 3; c++) {
            assertEquals(128, planes[c * 1600 + 5 * 40 + 3] & 0xFF, "left half, channel " + c);
            assertEquals(51, planes[c * 1600 + 5 * 40 + 30] & 0xFF, "right half, channel " + c);
        }
    }

    /** Alpha is dropped, not composited: a half-transparent orange stays orange (Pillow's convert("RGB")). */
    @ParameterizedTest(name = "type {0}")
    @CsvSource({"2", "6"})
    void alphaIsDroppedAndTheColourKept(int type) {
        BufferedImage argb = new BufferedImage(8, 8, type);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                argb.setRGB(x, y, 0x40FF8040);
            }
        }
        byte[] planes = new byte[3 * 4 * 4];
        SquareImage.toPlanes(ImageFactory.getInstance().fromImage(argb), 4, planes, 0);
        byte[] orange = new byte[16];
        java.util.Arrays.fill(orange, (byte) 0xFF);
        assertArrayEquals(orange, java.util.Arrays.copyOfRange(planes, 0, 16), "red");
        assertEquals(0x80, planes[16] & 0xFF, "green");
        assertEquals(0x40, planes[32] & 0xFF, "blue");
    }
}
