package io.selfsup.weights;

import io.selfsup.Limits;
import ai.djl.ndarray.types.DataType;
import io.selfsup.encode.NpzArrays;
import io.selfsup.encode.StreamingNpzWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * NumPy's .npz as a weights file: one array per state_dict key ({@code np.load(f)["conv1.weight"]}), and the
 * metadata as a JSON object in the 0-dimensional string array "__metadata__".
 */
final class Npz {

    static final String METADATA = "__metadata__";
    private static final Map<DataType, String> DTYPES = Map.of(
            DataType.FLOAT32, "<f4", DataType.FLOAT64, "<f8", DataType.INT64, "<i8", DataType.INT32, "<i4",
            DataType.UINT8, "|u1", DataType.INT8, "|i1", DataType.BOOLEAN, "|b1");

    private Npz() {}

    static void write(StateDict dict, OutputStream out) throws IOException {
        try (StreamingNpzWriter npz = new StreamingNpzWriter(out)) {
            for (Map.Entry<String, Tensor> e : dict.tensors().entrySet()) {
                Tensor t = e.getValue();
                String dtype = DTYPES.get(t.type());
                if (dtype == null) {
                    throw new IOException(e.getKey() + " is " + t.type() + ", which .npz export does not write");
                }
                npz.begin(e.getKey(), dtype, t.shape());
                npz.write(t.data());
            }
            if (!dict.metadata().isEmpty()) {
                npz.writeString(METADATA, MetadataJson.write(dict.metadata()));
            }
        }
    }

    /**
     * Reads every array of a weight .npz. The archive's declared sizes are checked first: together at most
     * {@link Limits#WEIGHT_FILE_BYTES}, as for a .safetensors file (an archive of a few KB that inflates to many GB
     * is refused before anything is inflated), and each array's header against its entry's size; a name twice is
     * refused, as is anything but numeric .npy arrays (object arrays are never unpickled).
     */
    static StateDict read(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long declared = 0;
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                declared += Math.max(0, entry.getSize());
                if (entry.getSize() < 0 || declared > Limits.WEIGHT_FILE_BYTES) {
                    throw new IOException(entry.getSize() < 0 ? entry.getName() + " does not declare its size"
                            : "its arrays declare more than " + Limits.WEIGHT_FILE_BYTES + " bytes in all, "
                            + "the most selfsup reads");
                }
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    throw new IOException("it holds " + name + ", which is not a .npy array");
                }
                String key = name.substring(0, name.length() - 4);
                if (tensors.containsKey(key) || (METADATA.equals(key) && !metadata.isEmpty())) {
                    throw new IOException("it holds " + key + " twice");
                }
                NpzArrays.Npy npy;
                try (InputStream in = zip.getInputStream(entry)) {
                    npy = NpzArrays.readNpy(in, entry.getSize());
                } catch (IOException e) {
                    throw new IOException(key + ": " + e.getMessage(), e);
                }
                if (METADATA.equals(key)) {
                    metadata = MetadataJson.read(npy.strings().get(0));
                    continue;
                }
                DataType type = NpzArrays.dataType(npy.descr());
                if (type == null) {
                    throw new IOException(key + " has dtype " + npy.descr() + ", which is not a weight type");
                }
                tensors.put(key, new Tensor(type, npy.shape(), npy.data()));
            }
        } catch (ZipException e) {
            throw new IOException("it is not a zip archive as .npz files are (" + e.getMessage() + ")", e);
        }
        return new StateDict(tensors, metadata);
    }
}
