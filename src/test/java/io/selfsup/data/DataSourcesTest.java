package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.repository.Repository;
import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {

    static final Path MINI = Path.of("data", "cifar10-mini");

    @Test
    void readsTheBundledSubset() {
        try (DataSource source = DataSources.open(MINI)) {
            ImageStore train = source.load(Split.TRAIN);
            ImageStore test = source.load(Split.TEST);
            assertEquals(1000, train.size());
            assertEquals(500, test.size());
            assertEquals(3072, train.imageBytes());
            int[] perClass = new int[10];
            for (int i = 0; i < train.size(); i++) {
                perClass[train.label(i)]++;
            }
            for (int c : perClass) {
                assertEquals(100, c);
            }
        }
    }

    @Test
    void readsTheFirstRecordBytesVerbatim() throws IOException {
        byte[] raw = Files.readAllBytes(MINI.resolve("data_batch_1.bin"));
        ImageStore train = DataSources.open(MINI).load(Split.TRAIN);
        byte[] first = new byte[3072];
        train.copyImage(0, first, 0);
        assertEquals(raw[0] & 0xff, train.label(0));
        for (int i = 0; i < 3072; i++) {
            assertEquals(raw[1 + i], first[i]);
        }
    }

    @Test
    void findsTheOfficialSubfolderAndJoinsBatchFiles(@TempDir Path tmp) throws IOException {
        Path batches = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        byte[] raw = Files.readAllBytes(MINI.resolve("data_batch_1.bin"));
        Files.write(batches.resolve("data_batch_1.bin"), raw);
        Files.write(batches.resolve("data_batch_2.bin"), raw);
        try (DataSource source = DataSources.open(tmp)) {
            assertEquals(2000, source.load(Split.TRAIN).size());
            assertFalse(source.has(Split.TEST));
            SelfsupException e = assertThrows(SelfsupException.class, () -> source.load(Split.TEST));
            assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
        }
    }

    @Test
    void readsTheOfficialArchive(@TempDir Path tmp) throws IOException, InterruptedException {
        Path batches = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        for (String name : new String[] {"data_batch_1.bin", "test_batch.bin"}) {
            Files.copy(MINI.resolve(name), batches.resolve(name));
        }
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        Process tar = new ProcessBuilder("tar", "czf", archive.toString(), "-C", tmp.toString(),
                "cifar-10-batches-bin").inheritIO().start();
        assertEquals(0, tar.waitFor());
        try (DataSource source = DataSources.open(archive)) {
            assertEquals(1000, source.load(Split.TRAIN).size());
            assertEquals(500, source.load(Split.TEST).size());
        }
    }

    @Test
    void truncatedFileIsAClearError(@TempDir Path tmp) throws IOException {
        Files.write(tmp.resolve("data_batch_1.bin"), new byte[3073 * 2 + 5]);
        SelfsupException e = assertThrows(SelfsupException.class, () -> DataSources.open(tmp).load(Split.TRAIN));
        assertTrue(e.getMessage().contains("not a whole number of 3073-byte"), e.getMessage());
    }

    @Test
    void missingOrForeignPathsAreClearErrors(@TempDir Path tmp) throws IOException {
        SelfsupException missing = assertThrows(SelfsupException.class, () -> DataSources.open(tmp.resolve("nope")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.writeString(tmp.resolve("readme.txt"), "hello");
        SelfsupException foreign = assertThrows(SelfsupException.class, () -> DataSources.open(tmp));
        assertTrue(foreign.getMessage().contains("no CIFAR-10 binary batches"), foreign.getMessage());
    }

    @Test
    void offlineDownloadNamesTheLocalAlternative() {
        Repository unreachable = Repository.newInstance("offline", "http://127.0.0.1:9/djl");
        SelfsupException e = assertThrows(SelfsupException.class,
                () -> new DjlCifarSource(unreachable).load(Split.TRAIN));
        assertTrue(e.getMessage().contains("--data") && e.getMessage().contains("data/cifar10-mini"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
