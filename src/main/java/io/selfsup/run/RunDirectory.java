package io.selfsup.run;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.util.JsonUtils;
import io.selfsup.AtomicFiles;
import io.selfsup.SelfsupException;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one run writes: config.json, metrics.csv, checkpoints/epoch-NNNN.{params,optimizer,state.json}
 * after every epoch (and epoch-NNNN-batch-BBBBBB.* within long epochs and on Ctrl-C), checkpoints/manifest.json
 * and model.params at the end. Every file is written under a temporary name, flushed to the disk and renamed, so
 * a reader only ever sees whole files, and a checkpoint counts once the manifest lists it.
 */
public final class RunDirectory {

    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String FINAL_MODEL = "model.params";
    public static final String LAST_LINK = "last";
    public static final String PARAMS_SUFFIX = ".params";
    public static final String OPTIMIZER_SUFFIX = ".optimizer";
    public static final String STATE_SUFFIX = ".state.json";
    /** Mid-epoch checkpoints kept (the newest), beyond those of complete epochs. */
    static final int KEEP_MID_EPOCH = 2;
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    private static final Pattern CHECKPOINT = Pattern.compile("epoch-(\\d+)\\.params");
    private static final Pattern MID_EPOCH = Pattern.compile("epoch-\\d+-batch-\\d+");
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
                if (Files.exists(output.resolve(CONFIG))) {
                    throw new SelfsupException("--output " + output + " already holds a run; choose a new folder "
                            + "so nothing in it is overwritten");
                }
                Files.createDirectories(output.resolve(CHECKPOINTS));
                return new RunDirectory(output);
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

    /**
     * Writes a checkpoint (optimizer state, parameters, {@link CheckpointState}), each file flushed to the disk,
     * then lists it in the manifest: only a listed checkpoint counts. Mid-epoch checkpoints older than the
     * newest complete epoch, and all but the newest {@link #KEEP_MID_EPOCH} of the others, are then removed.
     */
    public void writeCheckpoint(CheckpointState state, Block block, AtomicFiles.Writer optimizerState) {
        Path checkpoints = dir.resolve(CHECKPOINTS);
        String name = state.name();
        try {
            CheckpointManifest manifest = manifest();
            Map<String, AtomicFiles.Digest> files = new LinkedHashMap<>();
            files.put(name + OPTIMIZER_SUFFIX, AtomicFiles.writeDurably(checkpoints.resolve(name + OPTIMIZER_SUFFIX),
                    optimizerState));
            files.put(name + PARAMS_SUFFIX, AtomicFiles.writeDurably(checkpoints.resolve(name + PARAMS_SUFFIX),
                    os -> {
                        DataOutputStream data = new DataOutputStream(os);
                        block.saveParameters(data);
                        data.flush();
                    }));
            byte[] json = state.toJson();
            files.put(name + STATE_SUFFIX, AtomicFiles.writeDurably(checkpoints.resolve(name + STATE_SUFFIX),
                    os -> os.write(json)));
            manifest.add(new CheckpointManifest.Entry(name, files));
            List<String> removed = prunable(manifest.entries());
            removed.forEach(manifest::remove);
            manifest.write(checkpoints);
            for (String old : removed) {
                for (String suffix : List.of(OPTIMIZER_SUFFIX, PARAMS_SUFFIX, STATE_SUFFIX)) {
                    Files.deleteIfExists(checkpoints.resolve(old + suffix));
                }
            }
        } catch (IOException e) {
            throw new SelfsupException("cannot write the checkpoint " + checkpoints.resolve(name) + " ("
                    + e.getMessage() + "); the previous checkpoint is intact: free space and --resume " + dir, e);
        }
    }

    private static List<String> prunable(List<CheckpointManifest.Entry> entries) {
        int newestEpoch = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (!MID_EPOCH.matcher(entries.get(i).name()).matches()) {
                newestEpoch = i;
            }
        }
        List<String> midEpoch = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String name = entries.get(i).name();
            if (MID_EPOCH.matcher(name).matches()) {
                (i < newestEpoch ? removed : midEpoch).add(name);
            }
        }
        removed.addAll(midEpoch.subList(0, Math.max(0, midEpoch.size() - KEEP_MID_EPOCH)));
        return removed;
    }

    private CheckpointManifest manifest() throws IOException {
        CheckpointManifest manifest = CheckpointManifest.read(dir.resolve(CHECKPOINTS));
        return manifest != null ? manifest : CheckpointManifest.empty();
    }

    /** A checkpoint training can continue from: its state and the files to load. */
    public record ResumePoint(CheckpointState state, Path parameters, Path optimizer) {}

    /**
     * The newest checkpoint whose files still match the manifest; one that does not (torn by a power loss,
     * damaged since) is skipped with a warning. A run written before manifests existed resumes from its
     * newest epoch-NNNN.params that has an optimizer file, unverified. Empty when nothing can be resumed.
     */
    public Optional<ResumePoint> newestGoodCheckpoint() {
        Path checkpoints = dir.resolve(CHECKPOINTS);
        CheckpointManifest manifest;
        try {
            manifest = CheckpointManifest.read(checkpoints);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} cannot be read ({}); resuming from the newest complete epoch, unverified",
                    checkpoints.resolve(CheckpointManifest.FILE), e.getMessage());
            manifest = null;
        }
        if (manifest == null) {
            return legacyCheckpoint();
        }
        List<CheckpointManifest.Entry> entries = new ArrayList<>(manifest.entries());
        java.util.Collections.reverse(entries);
        for (CheckpointManifest.Entry entry : entries) {
            String problem = CheckpointManifest.mismatch(checkpoints, entry);
            if (problem == null) {
                try {
                    CheckpointState state = CheckpointState.fromJson(
                            Files.readString(checkpoints.resolve(entry.name() + STATE_SUFFIX)));
                    return Optional.of(new ResumePoint(state, checkpoints.resolve(entry.name() + PARAMS_SUFFIX),
                            checkpoints.resolve(entry.name() + OPTIMIZER_SUFFIX)));
                } catch (IOException | RuntimeException e) {
                    problem = entry.name() + STATE_SUFFIX + " cannot be read (" + e.getMessage() + ")";
                }
            }
            LOG.warn("checkpoint {} is damaged ({}); skipped, trying the one before it", entry.name(), problem);
        }
        return Optional.empty();
    }

    private Optional<ResumePoint> legacyCheckpoint() {
        int epoch = lastResumableEpoch();
        if (epoch == 0) {
            return Optional.empty();
        }
        LOG.warn("{} has no checkpoint manifest (written by an older selfsup): resuming after epoch {} unverified",
                dir, epoch);
        List<String> rows = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(dir.resolve(METRICS));
            rows.addAll(lines.subList(1, Math.min(lines.size(), epoch + 1)));
        } catch (IOException | RuntimeException e) {
            // metrics are rebuilt from what is there; a missing file gives none
        }
        return Optional.of(new ResumePoint(CheckpointState.afterEpoch(epoch, rows),
                checkpoint(epoch, PARAMS_SUFFIX), checkpoint(epoch, OPTIMIZER_SUFFIX)));
    }

    /** The newest epoch with both parameters and optimizer state written, or 0. */
    private int lastResumableEpoch() {
        try (Stream<Path> files = Files.list(dir.resolve(CHECKPOINTS))) {
            return files.map(p -> CHECKPOINT.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .filter(e -> Files.isRegularFile(checkpoint(e, OPTIMIZER_SUFFIX)))
                    .max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Removes temporary files a killed process left behind (a write cut short). */
    public void removeTemporaryFiles() {
        for (Path folder : List.of(dir, dir.resolve(CHECKPOINTS))) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }

    public Path checkpoint(int epoch, String suffix) {
        return dir.resolve(CHECKPOINTS).resolve(String.format("epoch-%04d%s", epoch, suffix));
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
        writeParameters(file, block);
        return file;
    }

    /** The final model if training finished, else the checkpoint of the latest epoch. */
    public Path newestModel() {
        Path model = dir.resolve(FINAL_MODEL);
        if (Files.isRegularFile(model)) {
            return model;
        }
        try (Stream<Path> files = Files.list(dir.resolve(CHECKPOINTS))) {
            Optional<Path> newest = files.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches())
                    .max(Path::compareTo);
            return newest.orElseThrow(() -> new SelfsupException("run " + dir + " has no checkpoint yet; "
                    + "let ssl-train finish an epoch first"));
        } catch (IOException e) {
            throw new SelfsupException("run " + dir + " has no checkpoints folder; pass a run written by ssl-train");
        }
    }

    /** Writes a block's parameters to {@code file}: a temporary file first, then one rename. */
    public static void writeParameters(Path file, Block block) {
        writeAtomically(file, os -> {
            DataOutputStream data = new DataOutputStream(os);
            block.saveParameters(data);
            data.flush();
        });
    }

    /** Loads parameters written by {@link #writeParameters} into a block of the same architecture. */
    public static void readParameters(Path file, Block block, NDManager manager) {
        try (InputStream is = Files.newInputStream(file);
             DataInputStream data = new DataInputStream(new BufferedInputStream(is))) {
            block.loadParameters(manager, data);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new SelfsupException("cannot load model parameters from " + file + " (" + e.getMessage()
                    + "); is it a checkpoint of this model written by ssl-train?", e);
        }
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
