package io.selfsup.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named array of a weights file as bytes: its element type, shape and little-endian, row-major data
 * (the layout both safetensors and .npy use), independent of any engine until it is copied into one.
 */
public record Tensor(DataType type, long[] shape, ByteBuffer data) {

    public Tensor {
        shape = shape.clone();
        data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long expected = elements(shape) * type.getNumOfBytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + type + " needs "
                    + expected + " bytes, got " + data.remaining());
        }
    }

    /** A copy of an engine array's values. */
    public static Tensor of(NDArray array) {
        ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(bytes).flip();
        return new Tensor(array.getDataType(), array.getShape().getShape(), copy);
    }

    /** A 0-dimensional int64 value, as PyTorch stores a batch norm's num_batches_tracked. */
    public static Tensor scalarLong(long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        return new Tensor(DataType.INT64, new long[0], b);
    }

    public Shape djlShape() {
        return new Shape(shape);
    }

    public long byteSize() {
        return data.remaining();
    }

    /**
     * The values as an engine array owned by {@code manager} (on its device), in memory of its own. bfloat16
     * comes back as float32: DJL's PyTorch engine aborts the whole process when it creates or converts to a
     * bfloat16 array, and widening one is exact (its 16 bits are the top half of a float32).
     */
    public NDArray toArray(NDManager manager) {
        if (type == DataType.BFLOAT16) {
            return widenedBfloat16().toArray(manager);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
        direct.put(data.duplicate().order(ByteOrder.LITTLE_ENDIAN)).flip();
        // DJL wraps a direct buffer without copying it, and the tensor reads garbage once the buffer is
        // collected (toType(sameType, copy=true) does not copy either): duplicate() makes engine-owned memory
        try (NDArray wrapped = manager.create(direct, djlShape(), type)) {
            return wrapped.duplicate();
        }
    }

    private Tensor widenedBfloat16() {
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(in.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            out.putInt((in.getShort() & 0xFFFF) << 16);
        }
        return new Tensor(DataType.FLOAT32, shape, out.flip());
    }

    static long elements(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
