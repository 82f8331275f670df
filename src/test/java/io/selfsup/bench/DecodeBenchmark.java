package io.selfsup.bench;

import io.selfsup.data.ImageFiles;
import io.selfsup.data.SquareImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The machine's decode rate, the figure the pixel cache's writing is measured against: on every core, the folder's
 * first COUNT files (a) read into memory, (b) decoded by ImageIO alone (what any Java program pays per picture),
 * (c) as selfsup decodes them for training (read once, header check, EXIF, centre crop, area-average resize to
 * SIDE, RGB planes), each twice, in that order; images/s per pass.
 *
 * <p>Usage: {@code SELFSUP_MAIN=io.selfsup.bench.DecodeBenchmark scripts/selfsup FOLDER [COUNT] [SIDE]}
 * (COUNT default 20000, SIDE 96)
 */
public final class DecodeBenchmark {

    private DecodeBenchmark() {}

    private interface PerFile {
        void run(Path file, byte[] planes) throws IOException;
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int side = args.length > 2 ? Integer.parseInt(args[2]) : 96;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().limit(count).toList();
        }
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "%d files of %s, %d threads, side %d%n", files.size(), folder, threads, side);
        for (int round = 1; round <= 2; round++) {
            time("read bytes", files, threads, side, (f, planes) -> Files.readAllBytes(f));
            time("ImageIO.read alone", files, threads, side, (f, planes) -> {
                if (ImageIO.read(f.toFile()) == null) {
                    throw new IOException("no decoder for " + f);
                }
            });
            time("selfsup's decode to planes", files, threads, side,
                    (f, planes) -> SquareImage.toPlanes(ImageFiles.read(f), side, planes, 0));
        }
    }

    private static void time(String what, List<Path> files, int threads, int side, PerFile work) {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> workers = Stream.generate(() -> new Thread(() -> {
            byte[] planes = new byte[3 * side * side];
            for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                try {
                    work.run(files.get(i), planes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        })).limit(threads).toList();
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "  %-28s %7.2f s  %8.0f images/s%n", what, seconds, files.size() / seconds);
    }
}
