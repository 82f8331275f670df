package io.selfsup.encode;

import io.selfsup.Limits;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selfsup.SelfsupException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads single numeric arrays out of an .npz file. DJL decodes a whole archive only when every array in it
 * is numeric, and its single-array NumPy decoder is not public; the features of an image folder also hold a
 * string array (paths). So this reads one .npy entry's header (format 1.0-3.0, C order) and hands its data
 * to the engine as it is.
 */
public final class NpzArrays {

    private static final Map<String, DataType> TYPES = Map.of(
            "<f4", DataType.FLOAT32, "<f8", DataType.FLOAT64, "<i8", DataType.INT64, "<i4", DataType.INT32,
            "|i1", DataType.INT8, "|u1", DataType.UINT8, "|b1", DataType.BOOLEAN,
            "<f2", DataType.FLOAT16);
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private NpzArrays() {}

    /** The array {@code name}, or null when the file has none. */
    public static NDArray read(NDManager manager, Path file, String name) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(name + ".npy");
            if (entry == null) {
                return null;
            }
            try (InputStream is = zip.getInputStream(entry)) {
                NDArray array = readNpy(manager, is, entry.getSize());
                array.setName(name);
                return array;
            }
        } catch (IOException e) {
            throw new SelfsupException("cannot read '" + name + "' from " + file + " (" + e.getMessage()
                    + "); pass an .npz written by ssl-encode", e);
        }
    }

    private static NDArray readNpy(NDManager manager, InputStream is, long storedBytes) throws IOException {
        Npy npy = readNpy(is, storedBytes);
        DataType type = dataType(npy.descr());
        if (type == null) {
            throw new IOException("dtype " + npy.descr() + " is not a numeric type selfsup reads");
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(npy.data().remaining()).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(npy.data()).flip();
        return manager.create(direct, new Shape(npy.shape()), type);
    }

    /** One .npy array as it is stored: its NumPy dtype ('<f4', '<U12' ...), shape and little-endian data. */
    public record Npy(String descr, long[] shape, ByteBuffer data) {

        /** The elements of a NumPy unicode ('<U') array, trailing NULs removed. */
        public List<String> strings() {
            if (!descr.startsWith("<U")) {
                throw new IllegalStateException("not a unicode array: " + descr);
            }
            int chars = Integer.parseInt(descr.substring(2));
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            List<String> values = new ArrayList<>();
            while (b.remaining() >= 4 * chars) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < chars; i++) {
                    int cp = b.getInt();
                    if (cp != 0) {
                        s.appendCodePoint(cp);
                    }
                }
                values.add(s.toString());
            }
            return values;
        }
    }

    /** The engine type of a numeric NumPy dtype, or null when selfsup does not read it. */
    public static DataType dataType(String descr) {
        return TYPES.get(descr);
    }

    /**
     * Reads one .npy array (format 1.0-3.0, C order); unicode arrays included. Everything the header declares is
     * checked before the data's buffer is allocated: {@code storedBytes} is what the zip entry says it holds (-1 when
     * it does not say), so a tiny entry that declares a huge array is refused instead of allocated; element counts
     * that overflow, negative dimensions and dtypes other than plain numbers and unicode (object arrays, which NumPy
     * pickles) are refused, never read.
     */
    public static Npy readNpy(InputStream is, long storedBytes) throws IOException {
        DataInputStream in = new DataInputStream(is);
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || magic[0] != (byte) 0x93 || !"NUMPY".equals(new String(magic, 1, 5, StandardCharsets.US_ASCII))) {
            throw new IOException("not a .npy array");
        }
        ByteBuffer len = ByteBuffer.wrap(in.readNBytes(magic[6] == 1 ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = magic[6] == 1 ? Short.toUnsignedInt(len.getShort()) : len.getInt();
        if (headerLength < 0 || headerLength > Limits.NPY_HEADER_BYTES) {
            throw new IOException("its .npy header claims " + Integer.toUnsignedString(headerLength) + " bytes (NumPy "
                    + "writes a few hundred)");
        }
        String header = new String(in.readNBytes(headerLength), StandardCharsets.US_ASCII);
        if (header.contains("'fortran_order': True")) {
            throw new IOException("Fortran-ordered arrays are not supported");
        }
        Matcher descr = DESCR.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        if (!descr.find() || !shapeText.find()) {
            throw new IOException("malformed .npy header: " + header.strip());
        }
        String dtype = descr.group(1);
        long itemSize;
        if (dtype.startsWith("<U")) {
            itemSize = 4L * Long.parseLong(dtype.substring(2));
        } else if (TYPES.containsKey(dtype)) {
            itemSize = TYPES.get(dtype).getNumOfBytes();
        } else {
            throw new IOException("dtype " + dtype + " is not a type selfsup reads");
        }
        long[] dims;
        long bytes = itemSize;
        try {
            dims = Arrays.stream(shapeText.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
            for (long d : dims) {
                if (d < 0) {
                    throw new IOException("its shape (" + shapeText.group(1) + ") has a negative dimension");
                }
                bytes = Math.multiplyExact(bytes, d);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IOException("its shape (" + shapeText.group(1) + ") is not a shape of an array selfsup reads");
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException("array of " + bytes + " bytes is larger than one buffer holds");
        }
        long stored = storedBytes < 0 ? -1 : storedBytes - 8 - (magic[6] == 1 ? 2 : 4) - headerLength;
        if (stored >= 0 && bytes > stored) {
            throw new IOException("its header declares " + bytes + " bytes of data, the archive holds " + stored);
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        ReadableByteChannel channel = Channels.newChannel(in);
        while (data.hasRemaining()) {
            if (channel.read(data) < 0) {
                throw new IOException("the array ends after " + data.position() + " of " + bytes + " bytes");
            }
        }
        data.flip();
        return new Npy(dtype, dims, data);
    }
}
