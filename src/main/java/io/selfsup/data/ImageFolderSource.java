package io.selfsup.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of the user's own images (JPEG, PNG, BMP, GIF; any size, gray or RGB), searched recursively.
 * With train/ and test/ subfolders those are the splits, else every image is training data. When every image
 * sits in a subfolder directly under its split's root (root/CLASS/image, torchvision's ImageFolder layout)
 * the subfolder names are the labels. Each image is centre-cropped to a square and resized to 32x32 RGB,
 * the model's input; the relative paths are kept, in order, for ssl-encode.
 */
public final class ImageFolderSource implements DataSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    private static final int SIDE = SquareImage.SIDE;

    private final Path root;
    private final Path trainRoot;
    private final Path testRoot;

    private ImageFolderSource(Path root) {
        this.root = root;
        boolean split = Files.isDirectory(root.resolve("train")) && !images(root.resolve("train")).isEmpty();
        this.trainRoot = split ? root.resolve("train") : root;
        this.testRoot = split && Files.isDirectory(root.resolve("test")) ? root.resolve("test") : null;
    }

    /** An image folder at {@code path}, if it holds at least one image. */
    public static Optional<ImageFolderSource> find(Path path) {
        return Files.isDirectory(path) && !images(path).isEmpty()
                ? Optional.of(new ImageFolderSource(path)) : Optional.empty();
    }

    @Override
    public boolean has(Split split) {
        return split == Split.TRAIN || testRoot != null;
    }

    @Override
    public ImageStore load(Split split) {
        Path splitRoot = split == Split.TRAIN ? trainRoot : testRoot;
        if (splitRoot == null) {
            throw new SelfsupException(root + " has no test/ folder; put held-out images in " + root.resolve("test"));
        }
        List<Path> files = images(splitRoot);
        List<String> classes = classes();
        byte[] pixels = new byte[files.size() * 3 * SIDE * SIDE];
        boolean[] ok = new boolean[files.size()];
        AtomicInteger failures = new AtomicInteger();
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                decode(files.get(i), pixels, i * 3 * SIDE * SIDE);
                ok[i] = true;
            } catch (IOException | RuntimeException e) {
                if (failures.getAndIncrement() < 3) {
                    LOG.warn("skipping {}: not a readable image ({})", files.get(i), e.getMessage());
                }
            }
        });
        List<String> paths = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < files.size(); i++) {
            if (!ok[i]) {
                continue;
            }
            System.arraycopy(pixels, i * 3 * SIDE * SIDE, pixels, kept * 3 * SIDE * SIDE, 3 * SIDE * SIDE);
            paths.add(root.relativize(files.get(i)).toString());
            if (classes != null) {
                labels.add(classes.indexOf(splitRoot.relativize(files.get(i)).getName(0).toString()));
            }
            kept++;
        }
        if (failures.get() > 0) {
            LOG.warn("skipped {} of {} files in {} that could not be read as images", failures.get(), files.size(),
                    splitRoot);
        }
        if (kept == 0) {
            throw new SelfsupException("none of the " + files.size() + " image files in " + splitRoot
                    + " could be read; pass a folder of JPEG or PNG images");
        }
        byte[] keptPixels = kept == files.size() ? pixels : Arrays.copyOf(pixels, kept * 3 * SIDE * SIDE);
        int[] labelArray = classes == null ? null : labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageStore(keptPixels, labelArray, classes == null ? List.of() : classes, 3, SIDE, SIDE, paths);
    }

    /** Label names, or null when the images are not all in class subfolders. */
    private List<String> classes() {
        Set<String> names = new TreeSet<>();
        for (Path splitRoot : testRoot == null ? List.of(trainRoot) : List.of(trainRoot, testRoot)) {
            for (Path image : images(splitRoot)) {
                Path relative = splitRoot.relativize(image);
                if (relative.getNameCount() != 2) {
                    return null;
                }
                names.add(relative.getName(0).toString());
            }
        }
        return List.copyOf(names);
    }

    private static void decode(Path file, byte[] dst, int offset) throws IOException {
        SquareImage.toPlanes(ImageFactory.getInstance().fromFile(file), dst, offset);
    }

    private static List<Path> images(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).sorted().toList();
        } catch (IOException e) {
            throw new SelfsupException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public String describe() {
        return "image folder " + root.toAbsolutePath().normalize();
    }
}
