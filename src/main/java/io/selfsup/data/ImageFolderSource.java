package io.selfsup.data;

import io.selfsup.Limits;
import io.selfsup.SelfsupException;
import io.selfsup.data.FolderListing.ListedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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
    /**
     * Part of the cache's header: bump when decoding changes what pixels an image gives (2: EXIF orientation, palette
     * and 16-bit images drawn as RGB; 3: {@link AreaScaler}'s rounding, gray values kept, alpha dropped).
     */
    private static final int DECODER_VERSION = 3;

    /** One SHA-256 per thread: the split hashes every file's path, on every core. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ImageFolderSource::newSha256);

    private final Path root;
    private final DataSpec spec;
    private final String layout;
    private final List<ListedFile> train;
    private final List<ListedFile> test;
    /** Label names, or null when the images are not all in class subfolders. */
    private final List<String> classes;
    private final int[] labels;
    private final int side;
    private final int imageBytes;
    private PixelFile pixelFile;
    private boolean cacheFailed;

    private ImageFolderSource(Path root, List<ListedFile> all, DataSpec spec) {
        this.root = root;
        this.spec = spec;
        this.side = spec.imageSize();
        this.imageBytes = 3 * side * side;
        List<ListedFile> inTrain = under(all, "train/");
        List<ListedFile> inTest = under(all, "test/");
        String splitRoot;
        if (!inTrain.isEmpty() && !inTest.isEmpty()) {
            train = inTrain;
            test = inTest;
            layout = "train/ and test/ folders";
            splitRoot = null;
        } else {
            List<ListedFile> pool = inTrain.isEmpty() ? all : inTrain;
            splitRoot = inTrain.isEmpty() ? "" : "train/";
            boolean[] held = new boolean[pool.size()];
            IntStream.range(0, held.length).parallel().forEach(i -> held[i] = heldOut(pool.get(i).relative(), spec));
            List<ListedFile> inPool = new ArrayList<>();
            List<ListedFile> out = new ArrayList<>();
            for (int i = 0; i < held.length; i++) {
                (held[i] ? out : inPool).add(pool.get(i));
            }
            if (inPool.isEmpty()) {
                LOG.warn("all {} images of {} fell in the test split (--test-fraction {}): training on all of them, "
                        + "with no test split", pool.size(), root, spec.testFraction());
                inPool = pool;
                out = List.of();
            }
            train = inPool;
            test = out;
            layout = "test split: " + spec.describeSplit();
        }
        String[] classOfEach = classOfEach(splitRoot);
        this.classes = classOfEach == null ? null : new HashSet<>(Arrays.asList(classOfEach)).stream().sorted().toList();
        this.labels = classOfEach == null ? null : labelsOf(classOfEach, classes);
        checkFitsWithoutCache();
    }

    private void checkFitsWithoutCache() {
        int maxImages = Integer.MAX_VALUE / imageBytes;
        for (List<ListedFile> part : List.of(train, test)) {
            if (spec.cacheDir() == null && part.size() > maxImages) {
                throw new SelfsupException(root + " holds " + part.size() + " images in one split, more than the "
                        + maxImages + " of " + side + "x" + side + " pixels that memory holds without the pixel cache; "
                        + "leave out --no-cache (the cache is the store of large folders)");
            }
        }
    }

    /** An image folder at {@code path}, if it holds at least one image. */
    public static Optional<ImageFolderSource> find(Path path, DataSpec spec) {
        if (!Files.isDirectory(path)) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        List<ListedFile> all = FolderListing.list(path);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        ImageFolderSource source = new ImageFolderSource(path, all, spec);
        LOG.info("found {} images in {} in {} s ({}, {})", all.size(), path, seconds(start), source.layout,
                source.classes == null ? "no class folders" : source.classes.size() + " classes");
        return Optional.of(source);
    }

    /** The same files, split and labels at another image size (the folder is not listed again). */
    private ImageFolderSource(ImageFolderSource listed, DataSpec spec) {
        this.root = listed.root;
        this.spec = spec;
        this.side = spec.imageSize();
        this.imageBytes = 3 * side * side;
        this.layout = listed.layout;
        this.train = listed.train;
        this.test = listed.test;
        this.classes = listed.classes;
        this.labels = listed.labels;
        checkFitsWithoutCache();
    }

    @Override
    public DataSource atImageSize(int size) {
        return size == side ? this : new ImageFolderSource(this, spec.withImageSize(size));
    }

    /**
     * The typical shorter side of the folder's images in pixels ({@link ImageSizes#typicalSide}), read from file
     * headers; CIFAR's 32 when no header could be read (the decode then says which files are not images).
     */
    @Override
    public int typicalSide() {
        List<Path> files = new AbstractList<>() { // a view: only the sampled files become paths
            @Override
            public Path get(int i) {
                return root.resolve((i < train.size() ? train.get(i) : test.get(i - train.size())).relative());
            }

            @Override
            public int size() {
                return train.size() + test.size();
            }
        };
        return ImageSizes.typicalSide(files).orElse(SquareImage.SIDE);
    }

    /** Whether {@code relative} belongs to the held-out split: its hash with the seed, as a fraction, is below it. */
    static boolean heldOut(String relative, DataSpec spec) {
        byte[] name = relative.getBytes(StandardCharsets.UTF_8);
        ByteBuffer key = ByteBuffer.allocate(8 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        key.putLong(spec.splitSeed()).put(name);
        long bits = ByteBuffer.wrap(SHA256.get().digest(key.array())).getLong();
        return (bits >>> 11) * 0x1.0p-53 < spec.testFraction();
    }

    @Override
    public boolean has(Split split) {
        return !(split == Split.TRAIN ? train : test).isEmpty();
    }

    @Override
    public ImageStore load(Split split) {
        List<ListedFile> entries = split == Split.TRAIN ? train : test;
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
        List<String> paths = new ArrayList<>(entries.size());
        int[] kept = new int[entries.size()];
        int keptCount = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (ok[i]) {
                if (memory != null && keptCount != i) {
                    // compacts in place past unreadable images: the array is the store's, not a copy
                    System.arraycopy(memory, i * imageBytes, memory, keptCount * imageBytes, imageBytes);
                }
                kept[keptCount++] = i;
                paths.add(entries.get(i).relative());
            }
        }
        kept = Arrays.copyOf(kept, keptCount);
        if (kept.length < entries.size()) {
            LOG.warn("skipped {} of {} files of the {} split of {} that could not be read as images",
                    entries.size() - kept.length, entries.size(), split.name().toLowerCase(Locale.ROOT), root);
        }
        if (kept.length == 0) {
            throw new SelfsupException("none of the " + entries.size() + " image files of the "
                    + split.name().toLowerCase(Locale.ROOT) + " split of " + root
                    + " could be read; pass a folder of JPEG or PNG images");
        }
        int[] keptLabels = labels == null ? null : Arrays.stream(kept).map(i -> labels[first + i]).toArray();
        List<String> names = classes == null ? List.of() : classes;
        if (file != null) {
            int[] indices = Arrays.stream(kept).map(i -> first + i).toArray();
            return new ImageStore(file.pixels(indices), keptLabels, names, 3, side, side, paths);
        }
        byte[] keptPixels = kept.length == entries.size() ? memory : Arrays.copyOf(memory, kept.length * imageBytes);
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
        List<ListedFile> wanted = new ArrayList<>(train.size() + test.size());
        wanted.addAll(train);
        wanted.addAll(test);
        long start = System.nanoTime();
        Optional<PixelFile> existing;
        try {
            existing = PixelFile.open(path, DECODER_VERSION, imageBytes, wanted);
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
        int threads = Runtime.getRuntime().availableProcessors();
        int toDecode = (int) Arrays.stream(PixelFile.reusable(existing.orElse(null), wanted)).filter(i -> i < 0).count();
        DecodeProgress progress = new DecodeProgress(root, toDecode);
        AtomicInteger failures = new AtomicInteger();
        try {
            PixelFile.Written written = PixelFile.write(path, DECODER_VERSION, imageBytes, wanted,
                    existing.orElse(null), new PixelFile.Decoder() {
                        @Override
                        public boolean decode(int index, byte[] dst) {
                            return decodeOrWarn(wanted.get(index), dst, 0, failures);
                        }

                        @Override
                        public void overdue(int index) {
                            warnOverdue(wanted.get(index));
                        }
                    }, threads, progress::done);
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
    private void decodeInMemory(List<ListedFile> entries, byte[] dst, boolean[] ok, int threads) {
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        DecodeProgress progress = new DecodeProgress(root, entries.size());
        DecodeWorkers.run(entries.size(), i -> {
            ok[i] = decodeOrWarn(entries.get(i), dst, i * imageBytes, failures);
            progress.done(done.incrementAndGet());
        }, threads, Limits.DECODE_MILLIS_PER_FILE, i -> {
            ok[i] = false;
            warnOverdue(entries.get(i));
        });
        LOG.info("decoded {} images of {} at {}x{} in {} s on {} threads", entries.size(), root, side, side,
                seconds(start), threads);
    }

    /**
     * Decodes one file into {@code dst}; an unreadable one, or one whose header declares more than
     * {@link Limits#IMAGE_PIXELS} pixels (checked before any are allocated), is false, with a warning for the first
     * three.
     */
    private boolean decodeOrWarn(ListedFile listed, byte[] dst, int offset, AtomicInteger failures) {
        Path file = root.resolve(listed.relative());
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

    private void warnOverdue(ListedFile listed) {
        LOG.warn("skipping {}: still decoding after {} s (a file that sends its decoder into a loop); its thread is "
                + "left to end on its own", root.resolve(listed.relative()), Limits.DECODE_MILLIS_PER_FILE / 1000);
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

    /** Each image's class, train's then test's, when every image is directly in a subfolder of its split's root. */
    private String[] classOfEach(String splitRoot) {
        String[] result = new String[train.size() + test.size()];
        String previous = null;
        for (int i = 0; i < result.length; i++) {
            boolean isTrain = i < train.size();
            String relative = (isTrain ? train.get(i) : test.get(i - train.size())).relative();
            int from = (splitRoot != null ? splitRoot : isTrain ? "train/" : "test/").length();
            int slash = relative.indexOf('/', from);
            if (slash <= from || relative.indexOf('/', slash + 1) >= 0) {
                return null;
            }
            // sorted paths come folder by folder: the previous image's class is most often this one's
            if (previous == null || slash - from != previous.length() || !relative.startsWith(previous, from)) {
                previous = relative.substring(from, slash);
            }
            result[i] = previous;
        }
        return result;
    }

    /** The labels of {@link #classOfEach}'s classes: indices into their sorted names. */
    private static int[] labelsOf(String[] classOfEach, List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        names.forEach(name -> index.put(name, index.size()));
        int[] result = new int[classOfEach.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = index.get(classOfEach[i]);
        }
        return result;
    }

    private static List<ListedFile> under(List<ListedFile> all, String prefix) {
        return all.stream().filter(e -> e.relative().startsWith(prefix)).toList();
    }

    private static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
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
