package io.selfsup.run;

import ai.djl.nn.Block;
import io.selfsup.files.AtomicFiles;
import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints/ folder: epoch-NNNN.{params,optimizer,state.json} after every epoch,
 * epoch-NNNN-batch-BBBBBB.* within long epochs and on Ctrl-C, and manifest.json listing those that count.
 * The one place that decides which checkpoint is the newest intact one, for --resume and for reading a model
 * from an unfinished run alike.
 */
public final class CheckpointStore {

    public static final String PARAMS_SUFFIX = ".params";
    public static final String OPTIMIZER_SUFFIX = ".optimizer";
    public static final String STATE_SUFFIX = ".state.json";
    /** Mid-epoch checkpoints kept (the newest), beyond those of complete epochs. */
    static final int KEEP_MID_EPOCH = 2;
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern EPOCH_PARAMS = Pattern.compile("epoch-(\\d+)\\.params");
    private static final Pattern MID_EPOCH = Pattern.compile("epoch-\\d+-batch-\\d+");

    private final Path runDir;
    private final Path folder;

    CheckpointStore(Path runDir) {
        this.runDir = runDir;
        this.folder = runDir.resolve(RunDirectory.CHECKPOINTS);
    }

    /**
     * Writes a checkpoint (optimizer state, parameters, {@link CheckpointState}), each file flushed to the disk,
     * then lists it in the manifest: only a listed checkpoint counts. Mid-epoch checkpoints older than the
     * newest complete epoch, and all but the newest {@link #KEEP_MID_EPOCH} of the others, are then removed.
     */
    public void write(CheckpointState state, Block block, AtomicFiles.Writer optimizerState) {
        String name = state.name();
        try {
            CheckpointManifest manifest = manifest();
            Map<String, AtomicFiles.Digest> files = new LinkedHashMap<>();
            files.put(name + OPTIMIZER_SUFFIX, AtomicFiles.writeDurably(folder.resolve(name + OPTIMIZER_SUFFIX),
                    optimizerState));
            files.put(name + PARAMS_SUFFIX, AtomicFiles.writeDurably(folder.resolve(name + PARAMS_SUFFIX),
                    ParameterFiles.writer(block)));
            byte[] json = state.toJson();
            files.put(name + STATE_SUFFIX, AtomicFiles.writeDurably(folder.resolve(name + STATE_SUFFIX),
                    os -> os.write(json)));
            manifest.add(new CheckpointManifest.Entry(name, files));
            List<String> removed = prunable(manifest.entries());
            removed.forEach(manifest::remove);
            manifest.write(folder);
            for (String old : removed) {
                for (String suffix : List.of(OPTIMIZER_SUFFIX, PARAMS_SUFFIX, STATE_SUFFIX)) {
                    Files.deleteIfExists(folder.resolve(old + suffix));
                }
            }
        } catch (IOException e) {
            throw new SelfsupException("cannot write the checkpoint " + folder.resolve(name) + " ("
                    + e.getMessage() + "); the previous checkpoint is intact: free space and --resume " + runDir, e);
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

    private CheckpointManifest manifest() {
        try {
            CheckpointManifest manifest = CheckpointManifest.read(folder);
            return manifest != null ? manifest : CheckpointManifest.empty();
        } catch (IOException e) {
            // the checkpoints it listed are left on the disk, unpruned; the new manifest lists what comes now
            LOG.warn("{}; starting a new one", e.getMessage());
            return CheckpointManifest.empty();
        }
    }

    /**
     * The newest checkpoint whose files still match the manifest; one that does not (torn by a power loss,
     * damaged since) is skipped with a warning, and a file the manifest does not list (written by a process
     * killed before it listed it) is never looked at. A run written before manifests existed has its newest
     * epoch-NNNN.params that has an optimizer file, unverified. Empty when there is none.
     */
    public Optional<Checkpoint> newestIntact() {
        CheckpointManifest manifest;
        try {
            manifest = CheckpointManifest.read(folder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} cannot be read ({}); using the newest complete epoch, unverified",
                    folder.resolve(CheckpointManifest.FILE), e.getMessage());
            manifest = null;
        }
        if (manifest == null) {
            return legacyCheckpoint();
        }
        List<CheckpointManifest.Entry> entries = new ArrayList<>(manifest.entries());
        Collections.reverse(entries);
        for (CheckpointManifest.Entry entry : entries) {
            String problem = CheckpointManifest.mismatch(folder, entry);
            if (problem == null) {
                try {
                    CheckpointState state = CheckpointState.fromJson(
                            Files.readString(folder.resolve(entry.name() + STATE_SUFFIX)));
                    return Optional.of(new Checkpoint(state, folder.resolve(entry.name() + PARAMS_SUFFIX),
                            folder.resolve(entry.name() + OPTIMIZER_SUFFIX)));
                } catch (IOException | RuntimeException e) {
                    problem = entry.name() + STATE_SUFFIX + " cannot be read (" + e.getMessage() + ")";
                }
            }
            LOG.warn("checkpoint {} is damaged ({}); skipped, trying the one before it", entry.name(), problem);
        }
        return Optional.empty();
    }

    private Optional<Checkpoint> legacyCheckpoint() {
        int epoch = lastEpochWithOptimizer();
        if (epoch == 0) {
            return Optional.empty();
        }
        LOG.warn("{} has no checkpoint manifest (written by an older selfsup): using the checkpoint of epoch {} "
                + "unverified", runDir, epoch);
        List<String> rows = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(runDir.resolve(RunDirectory.METRICS));
            rows.addAll(lines.subList(1, Math.min(lines.size(), epoch + 1)));
        } catch (IOException | RuntimeException e) {
            // metrics are rebuilt from what is there; a missing file gives none
        }
        return Optional.of(new Checkpoint(CheckpointState.afterEpoch(epoch, rows),
                epochFile(epoch, PARAMS_SUFFIX), epochFile(epoch, OPTIMIZER_SUFFIX)));
    }

    /** The newest epoch with both parameters and optimizer state written, or 0. */
    private int lastEpochWithOptimizer() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> EPOCH_PARAMS.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .filter(e -> Files.isRegularFile(epochFile(e, OPTIMIZER_SUFFIX)))
                    .max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Removes temporary files a killed process left in checkpoints/ (a write cut short). */
    public void removeTemporaryFiles() {
        RunDirectory.deleteTemporaryFiles(folder);
    }

    /** The file of the checkpoint after epoch {@code epoch}, e.g. epoch-0003.params. */
    public Path epochFile(int epoch, String suffix) {
        return folder.resolve(String.format("epoch-%04d%s", epoch, suffix));
    }
}
