package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files as cameras and other tools write them (scripts/fixtures/make-image-fixtures.py, Pillow), each a picture whose
 * left half is red and right half blue, decoded through an image folder as training reads it (centre square, 32 x 32
 * RGB): the red half must be on the left, so a file decoded the wrong way round, in the wrong colours or not at all
 * fails. A decompression bomb is skipped from its header alone.
 */
class ImageDecodingTest {

    private static Path fixture(String name) {
        try {
            return Path.of(ImageDecodingTest.class.getResource("/fixtures/images/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name + ": run scripts/fixtures/make-image-fixtures.py",
                    e);
        }
    }

    /** The one image of a folder holding only {@code name}, as training reads it. */
    private static ImageStore decode(Path tmp, String name) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(fixture(name), folder.resolve(name));
        try (DataSource source = DataSources.open(new DataSpec(folder, 0, 0, null))) {
            return source.load(Split.TRAIN);
        }
    }

    /** R, G, B of pixel (x, y) of a 32 x 32 image's planes. */
    private static int[] rgb(byte[] planes, int x, int y) {
        int p = y * 32 + x;
        return new int[] {planes[p] & 0xFF, planes[1024 + p] & 0xFF, planes[2048 + p] & 0xFF};
    }

    private static void assertRedLeftBlueRight(ImageStore store, String what) {
        assertEquals(1, store.size(), what + " decoded");
        byte[] planes = new byte[store.imageBytes()];
        store.copyImage(0, planes, 0);
        for (int y : new int[] {2, 16, 29}) {
            int[] left = rgb(planes, 4, y);
            int[] right = rgb(planes, 27, y);
            assertTrue(left[0] > 200 && left[2] < 60, what + ": red on the left at row " + y + ", got "
                    + List.of(left[0], left[1], left[2]));
            assertTrue(right[2] > 200 && right[0] < 60, what + ": blue on the right at row " + y + ", got "
                    + List.of(right[0], right[1], right[2]));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cmyk.jpg", "progressive.jpg", "rgb16.png", "palette.png", "first-frame.gif",
            "picture.webp", "picture.tif"})
    void formatsUsersHaveDecodeTheRightWayRoundInTheRightColours(String name, @TempDir Path tmp) throws IOException {
        assertRedLeftBlueRight(decode(tmp, name), name);
    }

    /** Stored turned a quarter counter-clockwise with EXIF orientation 6: upright only if the tag is applied. */
    @Test
    void aPhonePhotosExifOrientationIsApplied(@TempDir Path tmp) throws IOException {
        assertEquals(6, ExifOrientation.of(Files.readAllBytes(fixture("exif-rotated.jpg"))));
        assertEquals(ExifOrientation.NORMAL, ExifOrientation.of(Files.readAllBytes(fixture("progressive.jpg"))), "no EXIF: upright");
        assertRedLeftBlueRight(decode(tmp, "exif-rotated.jpg"), "exif-rotated.jpg");
    }

    @Test
    void grayWithAlphaBecomesThreeEqualChannels(@TempDir Path tmp) throws IOException {
        ImageStore store = decode(tmp, "gray-alpha.png");
        byte[] planes = new byte[store.imageBytes()];
        store.copyImage(0, planes, 0);
        int[] left = rgb(planes, 4, 16);
        int[] right = rgb(planes, 27, 16);
        assertEquals(List.of(255, 255, 255), List.of(left[0], left[1], left[2]), "white half");
        assertEquals(List.of(0, 0, 0), List.of(right[0], right[1], right[2]), "black half");
    }

    /** 69 bytes declaring 100,000 x 100,000 pixels: refused from the header, no 30 GB allocated. */
    @Test
    void aDecompressionBombIsSkippedFromItsHeader(@TempDir Path tmp) throws IOException {
        ImageHeader header = ImageHeader.read(fixture("bomb.png")).orElseThrow();
        assertEquals(100_000, header.width());
        assertTrue(header.tooLarge());
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(fixture("bomb.png"), folder.resolve("bomb.png"));
        Files.copy(fixture("palette.png"), folder.resolve("fine.png"));
        try (DataSource source = DataSources.open(new DataSpec(folder, 0, 0, null))) {
            ImageStore store = source.load(Split.TRAIN);
            assertEquals(List.of("fine.png"), store.paths(), "the bomb skipped, the other image kept");
        }
    }
}
