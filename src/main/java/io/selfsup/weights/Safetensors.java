package io.selfsup.weights;

import io.selfsup.Limits;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (the PyTorch ecosystem's weight files): an 8-byte little-endian header length, a
 * JSON header naming each tensor's dtype, shape and byte range, optional string metadata under
 * "__metadata__", then the raw little-endian data. Written here by hand because DJL's encoder has no
 * metadata and its decoder drops it; the reader checks every range, so a truncated or foreign file is
 * refused with what is wrong instead of giving garbage weights.
 */
final class Safetensors {

    private static final String METADATA = "__metadata__";

    private Safetensors() {}

    static void write(StateDict dict, OutputStream out) throws IOException {
        JsonObject header = new JsonObject();
        if (!dict.metadata().isEmpty()) {
            JsonObject metadata = new JsonObject();
            dict.metadata().forEach(metadata::addProperty);
            header.add(METADATA, metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : dict.tensors().entrySet()) {
            Tensor t = e.getValue();
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", t.type().asSafetensors());
            JsonArray shape = new JsonArray();
            for (long s : t.shape()) {
                shape.add(s);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + t.byteSize());
            entry.add("data_offsets", offsets);
            header.add(e.getKey(), entry);
            offset += t.byteSize();
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        // padding the header with spaces to a multiple of 8 keeps every tensor aligned for readers that map it
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
        out.write(length.array());
        out.write(json);
        out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[1 << 16];
        for (Tensor t : dict.tensors().values()) {
            ByteBuffer data = t.data().duplicate();
            while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    static StateDict read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Limits.WEIGHT_FILE_BYTES) {
                throw new IOException("the file has " + size + " bytes; selfsup reads weight files up to 2 GB");
            }
            if (size < 8) {
                throw new IOException("the file has " + size + " bytes, fewer than a safetensors header");
            }
            MappedByteBuffer all = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            all.order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = all.getLong(0);
            if (headerLength < 2 || headerLength > Limits.SAFETENSORS_HEADER_BYTES || 8 + headerLength > size) {
                throw new IOException("its header length (" + headerLength + ") does not fit a file of " + size
                        + " bytes: not a safetensors file, or a truncated one");
            }
            byte[] json = new byte[(int) headerLength];
            all.get(8, json);
            JsonObject header;
            String text = new String(json, StandardCharsets.UTF_8).strip();
            try {
                header = JsonUtils.GSON.fromJson(text, JsonObject.class);
            } catch (JsonParseException e) {
                throw new IOException("its header is not JSON (" + e.getMessage() + ")", e);
            }
            String twice = firstKeyTwice(text);
            if (twice != null) {
                // JSON keeps the last of two equal keys; which tensor is meant cannot be told
                throw new IOException("its header lists " + twice + " twice");
            }
            if (header == null) {
                throw new IOException("its header is empty");
            }
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            List<long[]> ranges = new ArrayList<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (METADATA.equals(e.getKey())) {
                    try {
                        for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                            metadata.put(m.getKey(), m.getValue().getAsString());
                        }
                    } catch (IllegalStateException | UnsupportedOperationException | NullPointerException bad) {
                        throw new IOException("its __metadata__ is not an object of strings", bad);
                    }
                    continue;
                }
                Tensor t = tensor(e.getKey(), e.getValue(), all, dataStart, dataSize);
                tensors.put(e.getKey(), t);
                JsonArray offsets = e.getValue().getAsJsonObject().getAsJsonArray("data_offsets");
                ranges.add(new long[] {offsets.get(0).getAsLong(), offsets.get(1).getAsLong()});
            }
            checkCovered(ranges, dataSize);
            return new StateDict(tensors, metadata);
        }
    }

    /** The first top-level key of a JSON object that appears twice, or null. */
    private static String firstKeyTwice(String json) throws IOException {
        try (com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(
                new java.io.StringReader(json))) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                if (!seen.add(name)) {
                    return name;
                }
                reader.skipValue();
            }
            return null;
        }
    }

    private static Tensor tensor(String name, JsonElement element, ByteBuffer all, long dataStart, long dataSize)
            throws IOException {
        try {
            JsonObject o = element.getAsJsonObject();
            String dtype = o.get("dtype").getAsString();
            DataType type;
            try {
                type = DataType.fromSafetensors(dtype);
            } catch (IllegalArgumentException e) {
                throw new IOException("tensor " + name + " has dtype " + dtype + ", which selfsup does not read");
            }
            JsonArray shapeJson = o.getAsJsonArray("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsLong();
                if (shape[i] < 0) {
                    throw new IOException("tensor " + name + " has a negative dimension " + shapeJson);
                }
            }
            JsonArray offsets = o.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            long expected = Tensor.elements(shape) * type.getNumOfBytes();
            if (begin < 0 || end < begin || end > dataSize || end - begin != expected) {
                throw new IOException("tensor " + name + " claims bytes [" + begin + ", " + end + ") for " + expected
                        + " bytes of data in a data section of " + dataSize + ": the file is truncated or damaged");
            }
            ByteBuffer data = all.slice((int) (dataStart + begin), (int) expected);
            return new Tensor(type, shape, data);
        } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                 | IndexOutOfBoundsException e) {
            throw new IOException("the header entry of " + name + " is malformed (" + e + ")", e);
        }
    }

    /** The data section must be exactly the tensors' ranges, without overlaps or holes (as the spec says). */
    private static void checkCovered(List<long[]> ranges, long dataSize) throws IOException {
        // by start, then end: an empty tensor may share its start with the next one
        ranges.sort(java.util.Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        long next = 0;
        for (long[] r : ranges) {
            if (r[0] != next) {
                throw new IOException("the tensors' byte ranges overlap or leave a hole at byte " + next);
            }
            next = r[1];
        }
        if (next != dataSize) {
            throw new IOException("the data section has " + dataSize + " bytes but the tensors cover " + next
                    + ": the file is truncated or has trailing data");
        }
    }
}
