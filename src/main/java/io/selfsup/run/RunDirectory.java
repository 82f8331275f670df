package io.selfsup.run;

import ai.djl.nn.Block;
import ai.djl.util.JsonUtils;
import io.selfsup.files.AtomicFiles;
import io.selfsup.SelfsupException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of one run: config.json, metrics.csv, pictures and charts, checkpoints/ (see {@link CheckpointStore})
 * and model.params at the end. Every file is written under a temporary name, flushed to the disk and renamed, so
 * a reader only ever sees whole files.
 */
public final class RunDirectory {

    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String FINAL_MODEL = "model.params";
    public static final String LAST_LINK = "last";
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates a new run directory: {@code output} when given (which must not hold a run already), else a new
     * timestamped folder under {@code runsRoot}, then pointed at by runsRoot/last.
     */
    public static RunDirectory create(Path output, Path runsRoot) {
        try {
            if (output != null) {
                RunDirectory run = new RunDirectory(output);
                run.checkHoldsNoRun();
                Files.createDirectories(output.resolve(CHECKPOINTS));
                return run;
            }
            Files.createDirectories(runsRoot);
            String stamp = LocalDateTime.now().format(STAMP);
            Path dir = runsRoot.resolve(stamp);
            for (int i = 2; Files.exists(dir); i++) {
                dir = runsRoot.resolve(stamp + "-" + i);
            }
            Files.createDirectories(dir.resolve(CHECKPOINTS));
            pointLastAt(runsRoot, dir);
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new SelfsupException("cannot create the run directory (" + e.getMessage()
                    + "); pass --output to a writable folder", e);
        }
    }

    /**
     * Checks, before any data is read, that {@link #create} will succeed: {@code output} (or runsRoot) is a
     * writable folder, or can be made in one, and holds no run yet.
     */
    public static void checkCanCreate(Path output, Path runsRoot) {
        Path target = output != null ? output : runsRoot;
        String option = output != null ? "--output " + output : "the runs folder " + runsRoot.toAbsolutePath();
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new SelfsupException(option + " is a file, not a folder; pass a new folder");
            }
            if (output != null && Files.exists(output.resolve(CONFIG))) {
                throw new SelfsupException("--output " + output + " already holds a run; choose a new folder "
                        + "so nothing in it is overwritten (or --resume " + output + ")");
            }
            writableFolder(target, option);
            return;
        }
        Path parent = target.toAbsolutePath().normalize().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new SelfsupException(option + " cannot be created: " + parent + " is not a folder");
        }
        writableFolder(parent, option + " cannot be created: " + parent);
    }

    /** Refuses a new run's folder that holds a run (checked again once locked: another ssl-train may have written one). */
    public void checkHoldsNoRun() {
        if (Files.exists(dir.resolve(CONFIG))) {
            throw new SelfsupException("--output " + dir + " already holds a run; choose a new folder so nothing in "
                    + "it is overwritten");
        }
    }

    /** Checks that a run being resumed can be written to. */
    public void checkWritable() {
        writableFolder(dir, "--resume " + dir);
        writableFolder(dir.resolve(CHECKPOINTS), "--resume " + dir);
    }

    private static void writableFolder(Path folder, String what) {
        if (!Files.isWritable(folder)) {
            throw new SelfsupException(what + " is not writable; pass a folder you can write to");
        }
    }

    /** Opens an existing run directory (or the run a "last" link points at) for reading. */
    public static RunDirectory open(Path dir) {
        Path real = dir;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new SelfsupException("--run " + dir + " does not exist; pass a run directory written by ssl-train");
        }
        if (!Files.isRegularFile(real.resolve(CONFIG))) {
            throw new SelfsupException("--run " + dir + " is not a run directory (no " + CONFIG
                    + "); pass one written by ssl-train, e.g. runs/last");
        }
        return new RunDirectory(real);
    }

    public Path path() {
        return dir;
    }

    public void writeConfig(Map<String, Object> config) {
        writeAtomically(dir.resolve(CONFIG), os -> os.write(JsonUtils.GSON_PRETTY.toJson(config)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Rewrites metrics.csv with exactly these rows (those a checkpoint proves, plus the epoch just finished), so
     * a crash between a checkpoint and its row can neither lose nor double a row.
     */
    public void writeMetrics(List<String> rows) {
        StringBuilder csv = new StringBuilder(EpochResult.CSV_HEADER).append('\n');
        rows.forEach(r -> csv.append(r).append('\n'));
        writeAtomically(dir.resolve(METRICS), os -> os.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Removes temporary files a killed process left behind (a write cut short), here and in checkpoints/. */
    public void removeTemporaryFiles() {
        deleteTemporaryFiles(dir);
        checkpoints().removeTemporaryFiles();
    }

    static void deleteTemporaryFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary file is harmless
        }
    }

    /** The run's checkpoints: writing them, and finding the newest intact one. */
    public CheckpointStore checkpoints() {
        return new CheckpointStore(dir);
    }

    /** config.json as written by ssl-train; its "options" are what the run was started with. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> readConfig() {
        try {
            Map<String, Object> config = JsonUtils.GSON.fromJson(Files.readString(dir.resolve(CONFIG)), Map.class);
            if (config == null || !(config.get("options") instanceof Map)) {
                throw new SelfsupException(dir.resolve(CONFIG) + " has no options; it was not written by ssl-train");
            }
            return config;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SelfsupException se) {
                throw se;
            }
            throw new SelfsupException("cannot read " + dir.resolve(CONFIG) + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The run directory a parameters file belongs to (model.params or checkpoints/epoch-NNNN.params), or
     * null when it lies outside one.
     */
    public static RunDirectory containing(Path parameters) {
        Path parent = parameters.toAbsolutePath().normalize().getParent();
        for (Path candidate : new Path[] {parent, parent == null ? null : parent.getParent()}) {
            if (candidate != null && Files.isRegularFile(candidate.resolve(CONFIG))) {
                return new RunDirectory(candidate);
            }
        }
        return null;
    }

    /** Writes a picture (PNG) into the run directory. */
    public Path writePicture(String name, BufferedImage picture) {
        Path file = dir.resolve(name);
        writeAtomically(file, os -> ImageIO.write(picture, "png", os));
        return file;
    }

    /** Writes a text file (an SVG chart, say) into the run directory. */
    public Path writeText(String name, String content) {
        Path file = dir.resolve(name);
        writeAtomically(file, os -> os.write(content.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    /** The epochs recorded in metrics.csv so far (all of them, for a resumed run too). */
    public List<EpochResult> readMetrics(int epochs) {
        try {
            return Files.readAllLines(dir.resolve(METRICS)).stream().skip(1).map(line -> EpochResult.parse(line, epochs))
                    .toList();
        } catch (IOException | RuntimeException e) {
            throw new SelfsupException("cannot read " + dir.resolve(METRICS) + ": " + e.getMessage(), e);
        }
    }

    /** Whether training finished and wrote model.params. */
    public boolean hasFinalModel() {
        return Files.isRegularFile(dir.resolve(FINAL_MODEL));
    }

    public Path writeFinalModel(Block block) {
        Path file = dir.resolve(FINAL_MODEL);
        ParameterFiles.write(file, block);
        return file;
    }

    /**
     * The model of the run: model.params when training finished, else the parameters of the newest intact
     * checkpoint, the one --resume would continue from (a mid-epoch one too).
     */
    public Path newestModel() {
        Path model = dir.resolve(FINAL_MODEL);
        if (Files.isRegularFile(model)) {
            return model;
        }
        if (!Files.isDirectory(dir.resolve(CHECKPOINTS))) {
            throw new SelfsupException("run " + dir + " has no checkpoints folder; pass a run written by ssl-train");
        }
        Checkpoint newest = checkpoints().newestIntact().orElseThrow(() -> new SelfsupException("run " + dir
                + " has no intact checkpoint yet; let ssl-train finish an epoch first"));
        LOG.info("run {} has not finished training: using its newest intact checkpoint, {} ({})", dir,
                newest.state().describe(), newest.parameters().getFileName());
        return newest.parameters();
    }

    private static void writeAtomically(Path file, AtomicFiles.Writer writer) {
        try {
            AtomicFiles.writeDurably(file, writer);
        } catch (IOException e) {
            throw new SelfsupException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void pointLastAt(Path runsRoot, Path dir) throws IOException {
        Path link = runsRoot.resolve(LAST_LINK);
        Path tmp = runsRoot.resolve(LAST_LINK + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, dir.getFileName());
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
