package io.selfsup.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.selfsup.console.Logging;
import io.selfsup.data.DataSource;
import io.selfsup.data.DataSources;
import io.selfsup.data.DataSpec;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewAugmenter;
import io.selfsup.engine.EngineSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * Images per second of one SimCLR view at batch 256: augmentation alone on one thread and on all cores,
 * then augmentation plus the transfer to the engine's default device, which is what a training step waits
 * for.
 *
 * <p>Usage: {@code scripts/bench/bench-augment [data-dir] [batches] [image-size] [blur-prob]} (default
 * data/cifar10-mini, 100 batches, 32 pixels, the size's default blur: none below 96 pixels, 0.5 from there)
 */
public final class AugmentBenchmark {

    private static final int BATCH = 256;
    private static final int WARMUP = 10;

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        Logging.configure(false);
        Path data = Path.of(args.length > 0 ? args[0] : "data/cifar10-mini");
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        AugmentationRecipe recipe = AugmentationRecipe.simclr().resolvedAt(size);
        if (args.length > 3) {
            recipe = recipe.withBlur(Double.parseDouble(args[3]));
        }
        int threads = EngineSettings.apply(0);
        ImageStore store;
        try (DataSource source = DataSources.open(new DataSpec(data, 0.1, 0, DataSpec.defaultCacheDir(), size))) {
            store = source.load(Split.TRAIN);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Device device = Engine.getInstance().defaultDevice();
        System.out.printf(Locale.ROOT, "%d images of %s at %d px, blur p %.2f, batch %d, %d timed batches, %d core(s), "
                        + "engine %s %s on %s (%d intra-op threads)%n", store.size(), data, size,
                recipe.blurProbability(), BATCH, batches, cores, Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(), device, threads);
        ViewAugmenter augmenter = new ViewAugmenter(recipe, size, BATCH);
        float[] dst = new float[BATCH * augmenter.viewFloats()];
        int[] order = EpochOrder.shuffled(store.size(), 0, 0);
        int perEpoch = store.size() / BATCH;
        Batch augment = b -> augmenter.augment(store, order, b % perEpoch * BATCH, b % perEpoch * BATCH + BATCH,
                ViewAugmenter.batchSeed(0, 0, b, 0), dst);
        report("augment, 1 thread", batches, 1, augment);
        report("augment, " + cores + " threads", batches, cores, augment);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            report("augment + to " + device + ", " + cores + " threads", batches, cores, b -> {
                try (NDManager step = manager.newSubManager()) {
                    augmenter.load(step, store, order, b % perEpoch * BATCH, b % perEpoch * BATCH + BATCH,
                            ViewAugmenter.batchSeed(0, 0, b, 0), device);
                }
            });
        }
    }

    private interface Batch {
        void run(int batch);
    }

    private static void report(String what, int batches, int threads, Batch work)
            throws InterruptedException, ExecutionException {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            double seconds = pool.submit(() -> {
                for (int b = 0; b < WARMUP; b++) {
                    work.run(b);
                }
                long t0 = System.nanoTime();
                for (int b = 0; b < batches; b++) {
                    work.run(WARMUP + b);
                }
                return (System.nanoTime() - t0) / 1e9;
            }).get();
            System.out.printf(Locale.ROOT, "%-36s %10.0f images/s  %8.2f ms/batch%n", what,
                    batches * BATCH / seconds, seconds * 1000 / batches);
        } finally {
            pool.shutdown();
        }
    }
}
