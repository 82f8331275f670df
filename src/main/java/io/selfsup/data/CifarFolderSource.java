package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder in CIFAR-10's binary layout: data_batch_1..5.bin (any subset; or DJL's joined data_batch.bin) and
 * test_batch.bin, either in the folder itself or in its cifar-10-batches-bin/ subfolder.
 */
public final class CifarFolderSource implements DataSource {

    private static final Pattern TRAIN_FILE = Pattern.compile("data_batch(_\\d+)?\\.bin");
    private static final String TEST_FILE = "test_batch.bin";
    private static final String META_FILE = "batches.meta.txt";
    static final String OFFICIAL_SUBFOLDER = "cifar-10-batches-bin";

    private final Path dir;

    private CifarFolderSource(Path dir) {
        this.dir = dir;
    }

    /** The CIFAR folder at or directly under {@code path}, if there is one. */
    public static Optional<CifarFolderSource> find(Path path) {
        for (Path candidate : List.of(path, path.resolve(OFFICIAL_SUBFOLDER))) {
            if (Files.isDirectory(candidate) && (!trainFiles(candidate).isEmpty()
                    || Files.isRegularFile(candidate.resolve(TEST_FILE)))) {
                return Optional.of(new CifarFolderSource(candidate));
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean has(Split split) {
        return !files(split).isEmpty();
    }

    @Override
    public ImageStore load(Split split) {
        List<Path> files = files(split);
        if (files.isEmpty()) {
            throw new SelfsupException(dir + " has no " + (split == Split.TRAIN ? "data_batch_*.bin" : TEST_FILE)
                    + " file; point --data at a complete cifar-10-batches-bin folder");
        }
        return CifarBinary.read(files, classNames());
    }

    /** The label names of batches.meta.txt (one a line) when the folder has that file, else CIFAR-10's. */
    private List<String> classNames() {
        Path meta = dir.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            return CifarBinary.CLASSES;
        }
        try {
            List<String> names = Files.readAllLines(meta).stream().map(String::strip).filter(s -> !s.isEmpty())
                    .toList();
            if (names.size() != CifarBinary.CLASSES.size()) {
                throw new SelfsupException(meta + " names " + names.size() + " classes, not "
                        + CifarBinary.CLASSES.size() + "; is this CIFAR-10's batches.meta.txt?");
            }
            return names;
        } catch (IOException e) {
            throw new SelfsupException("cannot read " + meta + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String howToAddTestImages() {
        return "put CIFAR-10's " + TEST_FILE + " in " + dir;
    }

    @Override
    public String describe() {
        return "CIFAR-10 binary folder " + dir.toAbsolutePath().normalize();
    }

    private List<Path> files(Split split) {
        if (split == Split.TRAIN) {
            return trainFiles(dir);
        }
        Path test = dir.resolve(TEST_FILE);
        return Files.isRegularFile(test) ? List.of(test) : List.of();
    }

    private static List<Path> trainFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = new ArrayList<>(s.filter(p -> TRAIN_FILE.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList());
            // DJL's joined data_batch.bin already holds the five batches: never read both forms
            if (files.size() > 1) {
                files.removeIf(p -> p.getFileName().toString().equals("data_batch.bin"));
            }
            return files;
        } catch (IOException e) {
            throw new SelfsupException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
