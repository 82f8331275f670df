package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.SelfsupException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder without train/ and test/ is split per file by --test-fraction, with labels from class folders. */
public class FolderSplitTest {

    public static final String[] CLASSES = {"apples", "pears", "plums"};

    /** {@code count} tiny PNGs spread over three class folders, numbered from {@code from}. */
    public static void images(Path root, int from, int count) throws IOException {
        for (int i = from; i < from + count; i++) {
            Color color = new Color(i % 256, (i * 7) % 256, (i * 13) % 256);
            ImageFolderSourceTest.write(root.resolve(CLASSES[i % 3] + "/img" + i + ".png"), 4, 4,
                    BufferedImage.TYPE_INT_RGB, color, "png");
        }
    }

    private static Set<String> testPaths(DataSpec spec) {
        try (DataSource source = DataSources.open(spec)) {
            return new HashSet<>(source.load(Split.TEST).paths());
        }
    }

    private static int number(String path) {
        return Integer.parseInt(path.replaceAll("\\D", ""));
    }

    /** Adding files moves no existing file between splits: the split is decided per file, not by a shuffle. */
    @Test
    void addingFilesKeepsEveryFileInItsSplit(@TempDir Path tmp) throws IOException {
        images(tmp, 0, 120);
        DataSpec spec = new DataSpec(tmp, 0.25, 3, null);
        Set<String> before = testPaths(spec);
        images(tmp, 120, 60);
        Set<String> after = testPaths(spec);
        Set<String> old = new HashSet<>(after);
        old.removeIf(p -> number(p) >= 120);
        assertEquals(before, old, "the first 120 files' test members are unchanged");
        assertTrue(after.size() > before.size(), "some of the new files are held out too");
        assertNotEquals(before, testPaths(new DataSpec(tmp, 0.25, 4, null)), "another seed, another split");
    }

    /** The held-out share follows --test-fraction: over 20,000 names within 1.5 points, and on a real folder. */
    @Test
    void theTestFractionIsRespected(@TempDir Path tmp) throws IOException {
        for (double fraction : new double[] {0.1, 0.5}) {
            DataSpec spec = new DataSpec(null, fraction, 0, null);
            int held = 0;
            for (int i = 0; i < 20_000; i++) {
                held += ImageFolderSource.heldOut("class" + i % 7 + "/photo_" + i + ".jpg", spec) ? 1 : 0;
            }
            assertEquals(fraction, held / 20_000.0, 0.015, "fraction " + fraction);
        }
        images(tmp, 0, 150);
        try (DataSource source = DataSources.open(new DataSpec(tmp, 0.3, 0, null))) {
            int test = source.load(Split.TEST).size();
            int train = source.load(Split.TRAIN).size();
            assertEquals(150, test + train);
            // binomial(150, 0.3): mean 45, standard deviation 5.6
            assertTrue(test >= 25 && test <= 65, test + " test images of 150");
        }
    }

    /** Both splits carry the class-folder labels and the same sorted class names. */
    @Test
    void bothSplitsAreLabelledByTheirClassFolders(@TempDir Path tmp) throws IOException {
        images(tmp, 0, 60);
        try (DataSource source = DataSources.open(new DataSpec(tmp, 0.3, 1, null))) {
            assertTrue(source.describe().contains("30% of the images"), source.describe());
            for (Split split : Split.values()) {
                ImageStore store = source.load(split);
                assertEquals(List.of(CLASSES), store.classNames());
                for (int i = 0; i < store.size(); i++) {
                    assertEquals(number(store.paths().get(i)) % 3, store.label(i), store.paths().get(i));
                }
            }
        }
    }

    /** train/ without test/: train/ is split; --test-fraction 0 or a tiny folder has no test split, and says so. */
    @Test
    void aFolderWithoutTestImagesSaysHowToGetThem(@TempDir Path tmp) throws IOException {
        images(tmp.resolve("train"), 0, 30);
        try (DataSource source = DataSources.open(new DataSpec(tmp, 0.2, 0, null))) {
            assertTrue(source.has(Split.TEST));
            assertTrue(source.load(Split.TEST).paths().stream().allMatch(p -> p.startsWith("train/")));
            assertEquals(List.of(CLASSES), source.load(Split.TEST).classNames());
        }
        try (DataSource source = DataSources.open(new DataSpec(tmp, 0, 0, null))) {
            assertFalse(source.has(Split.TEST));
            SelfsupException e = assertThrows(SelfsupException.class, () -> source.load(Split.TEST));
            assertTrue(e.getMessage().contains("--test-fraction") && e.getMessage().contains("test"), e.getMessage());
        }
        SelfsupException bad = assertThrows(SelfsupException.class, () -> new DataSpec(tmp, 1, 0, null));
        assertTrue(bad.getMessage().contains("the test fraction"), bad.getMessage());
    }

    /** CIFAR folders name their classes from batches.meta.txt. */
    @Test
    void cifarClassNamesComeFromBatchesMeta(@TempDir Path tmp) throws IOException {
        Files.copy(DataSourcesTest.MINI.resolve("test_batch.bin"), tmp.resolve("test_batch.bin"));
        assertEquals(CifarBinary.CLASSES, DataSources.open(tmp).load(Split.TEST).classNames(), "no meta file");
        List<String> renamed = CifarBinary.CLASSES.stream().map(c -> "my-" + c).toList();
        Files.write(tmp.resolve("batches.meta.txt"), renamed);
        assertEquals(renamed, DataSources.open(tmp).load(Split.TEST).classNames());
        assertEquals(CifarBinary.CLASSES, DataSources.open(DataSourcesTest.MINI).load(Split.TEST).classNames());
    }
}
