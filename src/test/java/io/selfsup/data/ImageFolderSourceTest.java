package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.SelfsupException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ImageFolderSourceTest {

    public static void write(Path file, int w, int h, int type, Color color, String format) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(w, h, type);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        ImageIO.write(image, format, file.toFile());
    }

    /** photos/train/{cats,dogs}, photos/test/{cats,dogs}: the torchvision ImageFolder layout with splits. */
    public static Path classFolders(Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        write(root.resolve("train/cats/a.png"), 64, 48, BufferedImage.TYPE_INT_RGB, Color.RED, "png");
        write(root.resolve("train/cats/b.jpg"), 100, 100, BufferedImage.TYPE_INT_RGB, Color.BLUE, "jpg");
        write(root.resolve("train/dogs/c.png"), 20, 50, BufferedImage.TYPE_BYTE_GRAY, Color.WHITE, "png");
        write(root.resolve("train/dogs/d.png"), 33, 33, BufferedImage.TYPE_INT_ARGB, Color.GREEN, "png");
        write(root.resolve("test/cats/e.png"), 32, 32, BufferedImage.TYPE_INT_RGB, Color.RED, "png");
        write(root.resolve("test/dogs/f.png"), 40, 30, BufferedImage.TYPE_INT_RGB, Color.GREEN, "png");
        return root;
    }

    /** Names with spaces, a newline, a quote and non-ASCII letters are read like any other, paths kept as they are. */
    @Test
    void oddFileNamesAreReadAndKeptAsTheyAre(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("odd");
        List<String> names = List.of("a b.png", "new\nline.png", "it's.png", "\u00e9t\u00e9 \u65e5.png");
        for (String name : names) {
            write(root.resolve(name), 20, 20, BufferedImage.TYPE_INT_RGB, Color.BLUE, "png");
        }
        try (DataSource source = DataSources.open(DataSpec.of(root).withTestFraction(0))) {
            ImageStore all = source.load(Split.TRAIN);
            assertEquals(names.stream().sorted().toList(), all.paths().stream().sorted().toList());
        }
    }

    @Test
    void readsClassFoldersWithSplitsLabelsAndPaths(@TempDir Path tmp) throws IOException {
        Path root = classFolders(tmp);
        try (DataSource source = DataSources.open(root)) {
            assertTrue(source.has(Split.TEST));
            ImageStore train = source.load(Split.TRAIN);
            assertEquals(4, train.size());
            assertEquals(List.of("cats", "dogs"), train.classNames());
            assertEquals(List.of("train/cats/a.png", "train/cats/b.jpg", "train/dogs/c.png", "train/dogs/d.png"),
                    train.paths());
            assertEquals(0, train.label(0));
            assertEquals(1, train.label(3));
            byte[] red = new byte[3072];
            train.copyImage(0, red, 0);
            assertEquals(255, red[0] & 0xff, "R plane of a red image");
            assertEquals(0, red[1024] & 0xff, "G plane");
            assertEquals(0, red[2048] & 0xff, "B plane");
            byte[] gray = new byte[3072];
            train.copyImage(2, gray, 0);
            assertEquals(255, gray[5] & 0xff);
            assertEquals(255, gray[2048 + 5] & 0xff, "gray becomes three equal channels");
            ImageStore test = source.load(Split.TEST);
            assertEquals(List.of("test/cats/e.png", "test/dogs/f.png"), test.paths());
            assertEquals(1, test.label(1));
        }
    }

    @Test
    void aFlatFolderWithTestFractionZeroIsAllUnlabelledTrainingData(@TempDir Path tmp) throws IOException {
        write(tmp.resolve("x.png"), 10, 10, BufferedImage.TYPE_INT_RGB, Color.RED, "png");
        write(tmp.resolve("sub/deeper/y.jpg"), 300, 200, BufferedImage.TYPE_INT_RGB, Color.BLUE, "jpg");
        Files.writeString(tmp.resolve("notes.txt"), "not an image");
        try (DataSource source = DataSources.open(DataSpec.of(tmp).withTestFraction(0))) {
            assertFalse(source.has(Split.TEST));
            ImageStore train = source.load(Split.TRAIN);
            assertEquals(2, train.size());
            assertFalse(train.hasLabels());
            assertEquals(List.of("sub/deeper/y.jpg", "x.png"), train.paths());
        }
    }

    @Test
    void skipsUnreadableFilesAndFailsWhenNoneAreReadable(@TempDir Path tmp) throws IOException {
        write(tmp.resolve("good.png"), 10, 10, BufferedImage.TYPE_INT_RGB, Color.RED, "png");
        Files.writeString(tmp.resolve("broken.jpg"), "this is not a jpeg");
        ImageStore train = DataSources.open(DataSpec.of(tmp).withTestFraction(0)).load(Split.TRAIN);
        assertEquals(List.of("good.png"), train.paths());

        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("a.png"), "nope");
        SelfsupException e = assertThrows(SelfsupException.class,
                () -> DataSources.open(DataSpec.of(bad).withTestFraction(0)).load(Split.TRAIN));
        assertTrue(e.getMessage().contains("could be read"), e.getMessage());
    }

    @Test
    void cifarStoresHaveNoPaths() {
        assertNull(DataSources.open(DataSourcesTest.MINI).load(Split.TEST).paths());
    }
}
