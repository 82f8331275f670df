package io.selfsup.run;

import ai.djl.util.JsonUtils;
import io.selfsup.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * checkpoints/manifest.json: the checkpoints that count, oldest first, with every file's size and SHA-256.
 * A checkpoint is added only after its files are on the disk, and the manifest is itself written durably, so
 * a checkpoint it lists was complete; a file that no longer matches its entry was damaged afterwards.
 */
final class CheckpointManifest {

    static final String FILE = "manifest.json";

    /** One checkpoint: its name stem and its files (name to size and hash). */
    record Entry(String name, Map<String, AtomicFiles.Digest> files) {}

    private final List<Entry> entries;

    private CheckpointManifest(List<Entry> entries) {
        this.entries = entries;
    }

    static CheckpointManifest empty() {
        return new CheckpointManifest(new ArrayList<>());
    }

    /**
     * The manifest in {@code checkpoints}, or null when there is none (a run written before manifests). Every name in it
     * must be a plain file name of that folder: the names decide which files are read and, when checkpoints are
     * pruned, deleted, so a manifest edited to name ../x or /x is refused, never followed.
     */
    @SuppressWarnings("unchecked")
    static CheckpointManifest read(Path checkpoints) throws IOException {
        Path file = checkpoints.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Map<String, Object> json = JsonUtils.GSON.fromJson(Files.readString(file), Map.class);
            List<Entry> entries = new ArrayList<>();
            for (Map<String, Object> e : (List<Map<String, Object>>) json.get("checkpoints")) {
                Map<String, AtomicFiles.Digest> files = new LinkedHashMap<>();
                ((Map<String, Map<String, Object>>) e.get("files")).forEach((name, d) -> files.put(plain(name),
                        new AtomicFiles.Digest(((Number) d.get("size")).longValue(), (String) d.get("sha256"))));
                entries.add(new Entry(plain((String) e.get("name")), files));
            }
            return new CheckpointManifest(entries);
        } catch (RuntimeException e) { // a hand-edited file: wrong types, missing keys, a name out of the folder
            throw new IOException(file + " is not a manifest ssl-train wrote (" + e.getMessage() + ")", e);
        }
    }

    /** A checkpoint's or file's name as written by {@link CheckpointStore}: letters, digits, '.', '-', '_'. */
    private static String plain(String name) {
        if (name == null || name.length() > 255 || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("it names " + (name == null ? "nothing"
                    : "\"" + name.replaceAll("\\p{Cntrl}", "?") + "\"") + ", not a file of its folder");
        }
        return name;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    void add(Entry entry) {
        entries.removeIf(e -> e.name().equals(entry.name()));
        entries.add(entry);
    }

    void remove(String name) {
        entries.removeIf(e -> e.name().equals(name));
    }

    void write(Path checkpoints) throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> files = new LinkedHashMap<>();
            e.files().forEach((name, d) -> {
                Map<String, Object> digest = new LinkedHashMap<>();
                digest.put("size", d.size());
                digest.put("sha256", d.sha256());
                files.put(name, digest);
            });
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", e.name());
            entry.put("files", files);
            list.add(entry);
        }
        byte[] json = JsonUtils.GSON_PRETTY.toJson(Map.of("checkpoints", list)).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeDurably(checkpoints.resolve(FILE), os -> os.write(json));
    }

    /** Why {@code entry}'s files do not match what was written, or null when they all do. */
    static String mismatch(Path checkpoints, Entry entry) {
        for (Map.Entry<String, AtomicFiles.Digest> f : entry.files().entrySet()) {
            Path file = checkpoints.resolve(f.getKey());
            if (!Files.isRegularFile(file)) {
                return f.getKey() + " is missing";
            }
            try {
                AtomicFiles.Digest now = AtomicFiles.digest(file);
                if (now.size() != f.getValue().size()) {
                    return f.getKey() + " has " + now.size() + " bytes, " + f.getValue().size() + " were written";
                }
                if (!now.sha256().equals(f.getValue().sha256())) {
                    return f.getKey() + " does not match its SHA-256";
                }
            } catch (IOException e) {
                return f.getKey() + " cannot be read (" + e.getMessage() + ")";
            }
        }
        return null;
    }
}
