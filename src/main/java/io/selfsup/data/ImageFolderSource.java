package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of the user's own images (JPEG, PNG, BMP, GIF, WebP, TIFF; any size, gray, RGB or CMYK, a JPEG's EXIF
 * orientation applied), searched recursively.
 * With images in both train/ and test/ those are the splits; otherwise the images (of train/ when only it
 * exists) are split by {@link DataSpec#testFraction()}: each image goes to the test split when a hash of its
 * path relative to the folder and the seed falls below the fraction, so the split of an image never changes
 * when files are added or removed. When every image sits in a subfolder directly under its split's root
 * (root/CLASS/image, torchvision's ImageFolder layout) the subfolder names are the labels. Each image is
 * centre-cropped to a square and resized to the spec's image size (RGB), on one thread per core. With a cache folder
 * the decoded pixels go to a file there ({@link PixelFile}), the store that training reads batch by batch, so no
 * folder is too large for memory; the file is reused while the folder is unchanged, and a changed folder decodes
 * only its new or changed images. Without one they are decoded into memory.
 */
public final class ImageFolderSource implements DataSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
    /** What ImageIO decodes here: the JDK's readers (TIFF since Java 9) and TwelveMonkeys' JPEG (CMYK) and WebP. */
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff");
    /**
     * Part of the cache's header: bump when decoding changes what pixels an image gives (2: EXIF orientation, palette
     * and 16-bit images drawn as RGB; 3: {@link AreaScaler}'s rounding, gray values kept, alpha dropped).
     */
    private static final int DECODER_VERSION = 3;

    /** One image file: its path relative to the folder ('/'-separated), size and modification time. */
    private record Entry(Path file, String relative, long size, long modified) {}

    private final Path root;
    private final DataSpec spec;
    private final String layout;
    private final List<Entry> train;
    private final List<Entry> test;
    /** Label names, or null when the images are not all in class subfolders. */
    private final List<String> classes;
    private final int[] labels;
    private final int side;
    private final int imageBytes;
    private PixelFile pixelFile;
    private boolean cacheFailed;

    private ImageFolderSource(Path root, List<Entry> all, DataSpec spec) {
        this.root = root;
        this.spec = spec;
        this.side = spec.imageSize();
        this.imageBytes = 3 * side * side;
        int maxImages = Integer.MAX_VALUE / imageBytes;
        List<Entry> inTrain = under(all, "train/");
        List<Entry> inTest = under(all, "test/");
        String splitRoot;
        if (!inTrain.isEmpty() && !inTest.isEmpty()) {
            train = inTrain;
            test = inTest;
            layout = "train/ and test/ folders";
            splitRoot = null;
        } else {
            List<Entry> pool = inTrain.isEmpty() ? all : inTrain;
            splitRoot = inTrain.isEmpty() ? "" : "train/";
            List<Entry> held = pool.stream().filter(e -> heldOut(e.relative(), spec)).toList();
            if (held.size() == pool.size()) {
                LOG.warn("all {} images of {} fell in the test split (--test-fraction {}): training on all of them, "
                        + "with no test split", pool.size(), root, spec.testFraction());
                held = List.of();
            }
            Set<Entry> heldSet = Set.copyOf(held);
            train = pool.stream().filter(e -> !heldSet.contains(e)).toList();
            test = held;
            layout = "test split: " + spec.describeSplit();
        }
        for (List<Entry> part : List.of(train, test)) {
            if (spec.cacheDir() == null && part.size() > maxImages) {
                throw new SelfsupException(root + " holds " + part.size() + " images in one split, more than the "
                        + maxImages + " of " + side + "x" + side + " pixels that memory holds without the pixel cache; "
                        + "leave out --no-cache (the cache is the store of large folders)");
            }
        }
        List<String> names = classNames(splitRoot);
        this.classes = names;
        this.labels = names == null ? null : labelsOf(splitRoot, names);
    }

    /** An image folder at {@code path}, if it holds at least one image. */
    public static Optional<ImageFolderSource> find(Path path, DataSpec spec) {
        if (!Files.isDirectory(path)) {
            return Optional.empty();
        }
        List<Entry> all = list(path);
        return all.isEmpty() ? Optional.empty() : Optional.of(new ImageFolderSource(path, all, spec));
    }

    /**
     * The typical shorter side of the folder's images in pixels ({@link ImageSizes#typicalSide}), read from file
     * headers; CIFAR's 32 when no header could be read (the decode then says which files are not images).
     */
    public int typicalSide() {
        List<Path> files = new ArrayList<>();
        train.forEach(e -> files.add(e.file()));
        test.forEach(e -> files.add(e.file()));
        return ImageSizes.typicalSide(files).orElse(SquareImage.SIDE);
    }

    /** Whether {@code relative} belongs to the held-out split: its hash with the seed, as a fraction, is below it. */
    static boolean heldOut(String relative, DataSpec spec) {
        byte[] name = relative.getBytes(StandardCharsets.UTF_8);
        ByteBuffer key = ByteBuffer.allocate(8 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        key.putLong(spec.splitSeed()).put(name);
        long bits = ByteBuffer.wrap(sha256(key.array())).getLong();
        return (bits >>> 11) * 0x1.0p-53 < spec.testFraction();
    }

    @Override
    public boolean has(Split split) {
        return !(split == Split.TRAIN ? train : test).isEmpty();
    }

    @Override
    public ImageStore load(Split split) {
        List<Entry> entries = split == Split.TRAIN ? train : test;
        if (entries.isEmpty()) {
            throw new SelfsupException(root + " has no test images (" + layout + ", " + train.size()
                    + " training images); " + howToAddTestImages());
        }
        int first = split == Split.TRAIN ? 0 : train.size();
        PixelFile file = spec.cacheDir() == null ? null : pixelFile();
        boolean[] ok = new boolean[entries.size()];
        byte[] memory = null;
        if (file != null) {
            for (int i = 0; i < ok.length; i++) {
                ok[i] = file.ok(first + i);
            }
        } else {
            if ((long) entries.size() * imageBytes > Integer.MAX_VALUE - 8) {
                throw new SelfsupException(entries.size() + " images of " + side + "x" + side + " pixels do not fit in "
                        + "memory and the pixel cache could not be written (see the warning above); free space in "
                        + spec.cacheDir() + " or set SELFSUP_CACHE to a disk with room");
            }
            memory = new byte[entries.size() * imageBytes];
            decodeInMemory(entries, memory, ok, Runtime.getRuntime().availableProcessors());
        }
        List<String> paths = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (ok[i]) {
                if (memory != null && kept.size() != i) {
                    // compacts in place past unreadable images: the array is the store's, not a copy
                    System.arraycopy(memory, i * imageBytes, memory, kept.size() * imageBytes, imageBytes);
                }
                kept.add(i);
                paths.add(entries.get(i).relative());
            }
        }
        if (kept.size() < entries.size()) {
            LOG.warn("skipped {} of {} files of the {} split of {} that could not be read as images",
                    entries.size() - kept.size(), entries.size(), split.name().toLowerCase(Locale.ROOT), root);
        }
        if (kept.isEmpty()) {
            throw new SelfsupException("none of the " + entries.size() + " image files of the "
                    + split.name().toLowerCase(Locale.ROOT) + " split of " + root
                    + " could be read; pass a folder of JPEG or PNG images");
        }
        int[] keptLabels = labels == null ? null : kept.stream().mapToInt(i -> labels[first + i]).toArray();
        List<String> names = classes == null ? List.of() : classes;
        if (file != null) {
            int[] indices = kept.stream().mapToInt(i -> first + i).toArray();
            return new ImageStore(file.pixels(indices), keptLabels, names, 3, side, side, paths);
        }
        byte[] keptPixels = kept.size() == entries.size() ? memory : Arrays.copyOf(memory, kept.size() * imageBytes);
        return new ImageStore(keptPixels, keptLabels, names, 3, side, side, paths);
    }

    /**
     * The folder's pixel file in the cache: read when its index matches the files, else written, taking the images
     * it already holds from the previous file and decoding the new or changed ones. A cache that cannot be written
     * costs a warning: the images are then decoded into memory.
     */
    private PixelFile pixelFile() {
        if (pixelFile != null || cacheFailed) {
            return pixelFile;
        }
        Path path = cacheFile();
        List<PixelFile.Entry> wanted = new ArrayList<>(train.size() + test.size());
        for (List<Entry> part : List.of(train, test)) {
            part.forEach(e -> wanted.add(new PixelFile.Entry(e.relative(), e.size(), e.modified())));
        }
        long start = System.nanoTime();
        Optional<PixelFile> existing;
        try {
            existing = PixelFile.open(path, DECODER_VERSION, imageBytes);
        } catch (IOException e) {
            LOG.warn("cannot read the pixel cache {} ({}); decoding the images again", path, e.getMessage());
            existing = Optional.empty();
        }
        if (existing.isPresent() && existing.get().entries().equals(wanted)) {
            LOG.info("reading {} decoded {}x{} images of {} from the cache {} (--no-cache decodes them again)",
                    wanted.size(), side, side, root, path);
            pixelFile = existing.get();
            return pixelFile;
        }
        List<Entry> all = new ArrayList<>(train);
        all.addAll(test);
        int threads = Runtime.getRuntime().availableProcessors();
        int toDecode = (int) Arrays.stream(PixelFile.reusable(existing.orElse(null), wanted)).filter(i -> i < 0).count();
        DecodeProgress progress = new DecodeProgress(root, toDecode);
        AtomicInteger failures = new AtomicInteger();
        try {
            PixelFile.Written written = PixelFile.write(path, DECODER_VERSION, imageBytes, wanted,
                    existing.orElse(null), (i, dst) -> decodeOrWarn(all.get(i).file(), dst, 0, failures), threads,
                    progress::done);
            pixelFile = written.file();
            LOG.info("decoded {} images of {} at {}x{} in {} s on {} threads{} into the cache {}", written.decoded(),
                    root, side, side, seconds(start), threads, written.decoded() < wanted.size()
                            ? " (" + (wanted.size() - written.decoded()) + " unchanged ones taken from the cache)" : "",
                    path);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SelfsupException selfsup) {
                throw selfsup;
            }
            LOG.warn("cannot write the pixel cache {} ({}); decoding the images into memory", path, e.getMessage());
            cacheFailed = true;
        }
        return pixelFile;
    }

    /** The cache file of this folder at this image size: one per folder and size, named by a hash of the path. */
    private Path cacheFile() {
        String key = root.toAbsolutePath().normalize().toString();
        return spec.cacheDir().resolve("pixels-" + HexFormat.of().formatHex(
                sha256(key.getBytes(StandardCharsets.UTF_8)), 0, 12) + "-" + side + ".bin");
    }

    /** Decodes the entries on {@code threads} threads into {@code dst}, image i at i * imageBytes. */
    private void decodeInMemory(List<Entry> entries, byte[] dst, boolean[] ok, int threads) {
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        DecodeProgress progress = new DecodeProgress(root, entries.size());
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < entries.size(); i = next.getAndIncrement()) {
                ok[i] = decodeOrWarn(entries.get(i).file(), dst, i * imageBytes, failures);
                progress.done(done.incrementAndGet());
            }
        };
        DecodeWorkers.run(worker, threads);
        LOG.info("decoded {} images of {} at {}x{} in {} s on {} threads", entries.size(), root, side, side,
                seconds(start), threads);
    }

    /**
     * Decodes one file into {@code dst}; an unreadable one, or one whose header declares more than
     * {@link ImageHeader#MAX_PIXELS} pixels (checked before any are allocated), is false, with a warning for the first
     * three.
     */
    private boolean decodeOrWarn(Path file, byte[] dst, int offset, AtomicInteger failures) {
        try {
            SquareImage.toPlanes(ImageFiles.read(file), side, dst, offset);
            return true;
        } catch (IOException | RuntimeException | Error e) {
            // an ImageIO plugin's Error on a crafted file (stack overflow, a missing class) is that file's failure
            if (failures.getAndIncrement() < 3) {
                LOG.warn("skipping {}: not a readable image ({})", file, e.getMessage());
            }
            return false;
        }
    }

    /** A log line every 10% or 30 s of a long decode: how far, how fast, how long still. */
    private static final class DecodeProgress {
        private static final long EVERY_NANOS = 30_000_000_000L;
        private final Path root;
        private final int total;
        private final long start = System.nanoTime();
        private long lastNanos = start;
        private int lastTenth;

        DecodeProgress(Path root, int total) {
            this.root = root;
            this.total = total;
        }

        synchronized void done(int decoded) {
            long now = System.nanoTime();
            int tenth = (int) (10L * decoded / Math.max(1, total));
            if (decoded < total && (tenth > lastTenth || now - lastNanos > EVERY_NANOS) && now - start > 2e9) {
                double rate = decoded / ((now - start) / 1e9);
                LOG.info("decoding {}: {} of {} images ({}%), {} images/s, about {} s left (once: the cache keeps "
                        + "them)", root, decoded, total, 100L * decoded / total, Math.round(rate),
                        Math.round((total - decoded) / rate));
                lastTenth = tenth;
                lastNanos = now;
            }
        }
    }

    /** Class names when every image is directly in a subfolder of its split's root, else null. */
    private List<String> classNames(String splitRoot) {
        Set<String> names = new TreeSet<>();
        for (Entry e : train) {
            String name = className(e, splitRoot == null ? "train/" : splitRoot);
            if (name == null) {
                return null;
            }
            names.add(name);
        }
        for (Entry e : test) {
            String name = className(e, splitRoot == null ? "test/" : splitRoot);
            if (name == null) {
                return null;
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private int[] labelsOf(String splitRoot, List<String> names) {
        int[] result = new int[train.size() + test.size()];
        for (int i = 0; i < result.length; i++) {
            boolean isTrain = i < train.size();
            Entry e = isTrain ? train.get(i) : test.get(i - train.size());
            result[i] = names.indexOf(className(e, splitRoot != null ? splitRoot : isTrain ? "train/" : "test/"));
        }
        return result;
    }

    /** CLASS of splitRoot/CLASS/image, or null when the image is not exactly one folder deep. */
    private static String className(Entry e, String splitRoot) {
        String rest = e.relative().substring(splitRoot.length());
        int slash = rest.indexOf('/');
        return slash > 0 && rest.indexOf('/', slash + 1) < 0 ? rest.substring(0, slash) : null;
    }

    private static List<Entry> under(List<Entry> all, String prefix) {
        return all.stream().filter(e -> e.relative().startsWith(prefix)).toList();
    }

    /** Every image file under {@code root}, sorted by relative path, with sizes and times from one walk. */
    private static List<Entry> list(Path root) {
        List<Entry> entries = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && isImage(file)) {
                        StringBuilder relative = new StringBuilder();
                        for (Path part : root.relativize(file)) {
                            relative.append(relative.isEmpty() ? "" : "/").append(part);
                        }
                        entries.add(new Entry(file, relative.toString(), attrs.size(),
                                attrs.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new SelfsupException("cannot list " + root + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(Entry::relative));
        return entries;
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static String seconds(long start) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
    }

    @Override
    public String howToAddTestImages() {
        return "pass a --test-fraction above " + spec.testFraction() + " (the default is "
                + DataSpec.DEFAULT_TEST_FRACTION + "), or put held-out images in " + root.resolve("test")
                + " and the training images in " + root.resolve("train");
    }

    @Override
    public String describe() {
        return "image folder " + root.toAbsolutePath().normalize() + " (" + layout + ")";
    }
}
