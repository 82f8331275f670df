package io.selfsup.data;

import ai.djl.modality.cv.ImageFactory;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of the user's own images (JPEG, PNG, BMP, GIF; any size, gray or RGB), searched recursively.
 * With images in both train/ and test/ those are the splits; otherwise the images (of train/ when only it
 * exists) are split by {@link DataSpec#testFraction()}: each image goes to the test split when a hash of its
 * path relative to the folder and the seed falls below the fraction, so the split of an image never changes
 * when files are added or removed. When every image sits in a subfolder directly under its split's root
 * (root/CLASS/image, torchvision's ImageFolder layout) the subfolder names are the labels. Each image is
 * centre-cropped to a square and resized to 32x32 RGB, on one thread per core, and the decoded pixels are
 * cached (see {@link PixelCache}) when the spec names a cache folder.
 */
public final class ImageFolderSource implements DataSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    private static final int SIDE = SquareImage.SIDE;
    private static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    private static final int MAX_IMAGES = Integer.MAX_VALUE / IMAGE_BYTES;
    /** Part of the cache fingerprint: bump when decoding changes what pixels an image gives. */
    private static final int DECODER_VERSION = 1;

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
    private PixelCache.Decoded decoded;

    private ImageFolderSource(Path root, List<Entry> all, DataSpec spec) {
        this.root = root;
        this.spec = spec;
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
            if (part.size() > MAX_IMAGES) {
                throw new SelfsupException(root + " holds " + part.size() + " images in one split, more than the "
                        + MAX_IMAGES + " one array of 32x32 pixels holds; pass a folder with fewer images");
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

    /** Whether {@code relative} belongs to the held-out split: its hash with the seed, as a fraction, is below it. */
    static boolean heldOut(String relative, DataSpec spec) {
        byte[] name = relative.getBytes(StandardCharsets.UTF_8);
        ByteBuffer key = ByteBuffer.allocate(8 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        key.putLong(spec.splitSeed()).put(name);
        long bits = ByteBuffer.wrap(PixelCache.sha256(key.array())).getLong();
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
        int part = split == Split.TRAIN ? 0 : 1;
        if (decoded != null && decoded.parts()[part] == null) {
            decoded = null; // this split was handed to a store before: read it again
        }
        PixelCache.Decoded all = decoded();
        int first = split == Split.TRAIN ? 0 : train.size();
        byte[] source = all.parts()[part];
        List<String> paths = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (all.ok()[first + i]) {
                // compacts in place past unreadable images: the split's part is its store's array, not a copy
                if (kept.size() != i) {
                    System.arraycopy(source, i * IMAGE_BYTES, source, kept.size() * IMAGE_BYTES, IMAGE_BYTES);
                }
                kept.add(first + i);
                paths.add(entries.get(i).relative());
            }
        }
        all.parts()[part] = null;
        if (kept.size() < entries.size()) {
            LOG.warn("skipped {} of {} files of the {} split of {} that could not be read as images",
                    entries.size() - kept.size(), entries.size(), split.name().toLowerCase(Locale.ROOT), root);
        }
        if (kept.isEmpty()) {
            throw new SelfsupException("none of the " + entries.size() + " image files of the "
                    + split.name().toLowerCase(Locale.ROOT) + " split of " + root
                    + " could be read; pass a folder of JPEG or PNG images");
        }
        byte[] keptPixels = kept.size() == entries.size() ? source : Arrays.copyOf(source, kept.size() * IMAGE_BYTES);
        int[] keptLabels = labels == null ? null : kept.stream().mapToInt(i -> labels[i]).toArray();
        return new ImageStore(keptPixels, keptLabels, classes == null ? List.of() : classes, 3, SIDE, SIDE, paths);
    }

    /** Pixels of the train then the test images: from the cache when it matches the files, else decoded. */
    private PixelCache.Decoded decoded() {
        if (decoded != null) {
            return decoded;
        }
        List<Entry> wanted = new ArrayList<>(train);
        wanted.addAll(test);
        int[] partCounts = {train.size(), test.size()};
        PixelCache cache = spec.cacheDir() == null ? null : new PixelCache(spec.cacheDir());
        byte[] fingerprint = fingerprint(wanted, partCounts);
        long start = System.nanoTime();
        if (cache != null) {
            Optional<PixelCache.Decoded> hit = cache.read(root, fingerprint, partCounts, IMAGE_BYTES);
            if (hit.isPresent()) {
                LOG.info("read {} decoded images of {} from the cache {} in {} s (--no-cache decodes them again)",
                        wanted.size(), root, cache.fileFor(root), seconds(start));
                decoded = hit.get();
                return decoded;
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        decoded = decode(wanted, partCounts, threads);
        LOG.info("decoded {} images of {} in {} s on {} threads", wanted.size(), root, seconds(start), threads);
        if (cache != null) {
            cache.write(root, fingerprint, decoded);
        }
        return decoded;
    }

    /** Decodes the entries on {@code threads} threads into consecutive parts of {@code partCounts} images. */
    private static PixelCache.Decoded decode(List<Entry> entries, int[] partCounts, int threads) {
        byte[][] parts = {new byte[partCounts[0] * IMAGE_BYTES], new byte[partCounts[1] * IMAGE_BYTES]};
        boolean[] ok = new boolean[entries.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < entries.size(); i = next.getAndIncrement()) {
                int part = i < partCounts[0] ? 0 : 1;
                try {
                    decode(entries.get(i).file(), parts[part], (i - part * partCounts[0]) * IMAGE_BYTES);
                    ok[i] = true;
                } catch (IOException | RuntimeException e) {
                    if (failures.getAndIncrement() < 3) {
                        LOG.warn("skipping {}: not a readable image ({})", entries.get(i).file(), e.getMessage());
                    }
                }
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "selfsup-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(worker);
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.debug("decoding: {} of {} images", Math.min(next.get(), entries.size()), entries.size());
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new SelfsupException("interrupted while decoding images", e);
        }
        return new PixelCache.Decoded(parts, ok, IMAGE_BYTES);
    }

    private static void decode(Path file, byte[] dst, int offset) throws IOException {
        SquareImage.toPlanes(ImageFactory.getInstance().fromFile(file), dst, offset);
    }

    /** The decoder's version, the split sizes and every wanted file's path, size and modification time, hashed. */
    private static byte[] fingerprint(List<Entry> entries, int[] partCounts) {
        StringBuilder text = new StringBuilder("decoder ").append(DECODER_VERSION).append(' ').append(SIDE)
                .append(" parts ").append(partCounts[0]).append(' ').append(partCounts[1]).append('\n');
        for (Entry e : entries) {
            text.append(e.relative()).append('\0').append(e.size()).append('\0').append(e.modified()).append('\n');
        }
        return PixelCache.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
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
