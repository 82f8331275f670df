package io.selfsup.encode;

import ai.djl.ndarray.NDArray;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a NumPy .npz archive one array at a time, each array's rows as they come, so memory stays bounded
 * whatever the array's size (a zip entry per array, stored uncompressed: features do not compress and
 * deflating 1.6 GB would cost more than writing it).
 */
public final class StreamingNpzWriter implements AutoCloseable {

    private final ZipOutputStream zip;
    private long expectedBytes;
    private long writtenBytes;
    private String current;

    public StreamingNpzWriter(OutputStream out) {
        zip = new ZipOutputStream(new BufferedOutputStream(out, 1 << 20));
        zip.setLevel(Deflater.NO_COMPRESSION);
    }

    /** Starts array {@code name} of the given NumPy dtype ('<f4', '<i8', '|u1' ...) and shape. */
    public void begin(String name, String dtype, long... shape) throws IOException {
        finishCurrent();
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        zip.write(header(dtype, shape));
        long elements = 1;
        for (long s : shape) {
            elements *= s;
        }
        current = name;
        expectedBytes = elements * itemSize(dtype);
        writtenBytes = 0;
    }

    /** Appends a float32 array's elements (row-major) to the current array. */
    public void writeFloats(NDArray rows) throws IOException {
        write(rows.toByteBuffer());
    }

    /** Appends raw little-endian element bytes to the current array. */
    public void write(ByteBuffer bytes) throws IOException {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] chunk = new byte[Math.min(b.remaining(), 1 << 16)];
        while (b.hasRemaining()) {
            int n = Math.min(chunk.length, b.remaining());
            b.get(chunk, 0, n);
            zip.write(chunk, 0, n);
            writtenBytes += n;
        }
        if (writtenBytes > expectedBytes) {
            throw new IllegalStateException(current + ": more data than its shape holds");
        }
    }

    public void writeLongs(long[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        write(b);
    }

    /** Writes one string as a 0-dimensional NumPy unicode array ({@code str(npz[name])} in Python). */
    public void writeString(String name, String value) throws IOException {
        writeStrings(name, List.of(value), new long[0]);
    }

    /** Writes a whole array of strings as NumPy unicode ('<U' + longest length, UTF-32 code points). */
    public void writeStrings(String name, List<String> values) throws IOException {
        writeStrings(name, values, new long[] {values.size()});
    }

    private void writeStrings(String name, List<String> values, long[] shape) throws IOException {
        int longest = Math.max(1, values.stream().mapToInt(v -> v.codePointCount(0, v.length())).max().orElse(1));
        finishCurrent();
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        zip.write(header("<U" + longest, shape));
        ByteBuffer item = ByteBuffer.allocate(4 * longest).order(ByteOrder.LITTLE_ENDIAN);
        for (String v : values) {
            item.clear();
            v.codePoints().forEach(item::putInt);
            while (item.hasRemaining()) {
                item.putInt(0);
            }
            zip.write(item.array());
        }
        zip.closeEntry();
    }

    private void finishCurrent() throws IOException {
        if (current != null) {
            if (writtenBytes != expectedBytes) {
                throw new IllegalStateException(current + ": wrote " + writtenBytes + " of " + expectedBytes + " bytes");
            }
            zip.closeEntry();
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            finishCurrent();
        } finally {
            zip.close();
        }
    }

    /** NPY format 1.0 header, padded so the data starts on a 64-byte boundary. */
    static byte[] header(String dtype, long... shape) {
        StringBuilder dims = new StringBuilder();
        for (long s : shape) {
            dims.append(s).append(", ");
        }
        String shapeText = shape.length == 0 ? "()" : shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + dims.substring(0, dims.length() - 2) + ")";
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static int itemSize(String dtype) {
        return Integer.parseInt(dtype.replaceAll("[^0-9]", ""));
    }
}
