package io.selfsup.bench;

import io.selfsup.console.Logging;
import io.selfsup.data.DataSource;
import io.selfsup.data.DataSources;
import io.selfsup.data.DataSpec;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Start-up of ssl-train on an image folder: both splits read as ssl-train reads them (the default test
 * fraction and the pixel cache at its usual place, $SELFSUP_CACHE when set), timed from the call and from
 * the JVM's start. scripts/bench/bench-folder-load runs it twice, so the second run reads the cache. With
 * {@code --no-cache} the images are decoded into memory, as {@code ssl-train --no-cache} does: the same decode
 * without the cache's writes. The second line splits the time: finding the files (the folder's walk, the split,
 * the labels), then each split's read (the cache's index, or the decode).
 *
 * <p>Usage: {@code scripts/bench/bench-folder-load [folder]}, or
 * {@code SELFSUP_MAIN=io.selfsup.bench.FolderLoadBenchmark scripts/selfsup FOLDER [SIZE [--no-cache]]} (SIZE:
 * the image size, default 32)
 */
public final class FolderLoadBenchmark {

    private FolderLoadBenchmark() {}

    public static void main(String[] args) {
        Logging.configure(false);
        Path folder = Path.of(args[0]);
        long start = System.nanoTime();
        ImageStore train;
        ImageStore test;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        boolean noCache = args.length > 2 && args[2].equals("--no-cache");
        DataSpec spec = DataSpec.of(folder).withImageSize(size);
        spec = noCache ? spec : spec.withCacheDir(DataSpec.defaultCacheDir());
        double opened;
        double trainRead;
        try (DataSource source = DataSources.open(spec)) {
            opened = (System.nanoTime() - start) / 1e9;
            train = source.load(Split.TRAIN);
            trainRead = (System.nanoTime() - start) / 1e9 - opened;
            test = source.has(Split.TEST) ? source.load(Split.TEST) : null;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double sinceJvm = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
        System.out.printf(Locale.ROOT, "%d training and %d test images (%d classes) loaded in %.1f s, %.1f s after "
                        + "the JVM started, %d core(s)%n", train.size(), test == null ? 0 : test.size(),
                train.classNames().size(), seconds, sinceJvm, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  listing and split %.2f s, training split %.2f s, test split %.2f s%n", opened,
                trainRead, seconds - opened - trainRead);
    }
}
