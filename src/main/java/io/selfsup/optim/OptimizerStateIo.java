package io.selfsup.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The on-disk form of one per-parameter optimizer state array (a moment, a momentum buffer): rank, shape and
 * float32 data, or rank -1 for a state not created yet. DJL's optimizers keep such state per device; a
 * checkpoint holds the first device's copy and a resume puts it on the manager's device.
 */
final class OptimizerStateIo {

    private OptimizerStateIo() {}

    /** The header of a state file: how many parameters follow, in the model's order. */
    static void writeCount(DataOutputStream out, List<String> parameterIds) throws IOException {
        out.writeInt(parameterIds.size());
    }

    /** Reads {@link #writeCount}'s header and checks it against the model. */
    static void readCount(DataInputStream in, List<String> parameterIds) throws IOException {
        int n = in.readInt();
        if (n != parameterIds.size()) {
            throw new IOException("optimizer state for " + n + " parameters, the model has " + parameterIds.size());
        }
    }

    static void write(DataOutputStream out, Map<Device, NDArray> perDevice) throws IOException {
        NDArray state = perDevice == null || perDevice.isEmpty() ? null : perDevice.values().iterator().next();
        if (state == null) {
            out.writeInt(-1);
            return;
        }
        long[] shape = state.getShape().getShape();
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        ByteBuffer data = state.toByteBuffer();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.write(bytes);
    }

    /** The state written by {@link #write} on {@code manager}'s device, or null when it was absent. */
    static Map<Device, NDArray> read(DataInputStream in, NDManager manager) throws IOException {
        int rank = in.readInt();
        if (rank < 0) {
            return null;
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
        }
        Shape s = new Shape(shape);
        ByteBuffer data = ByteBuffer.allocateDirect((int) s.size() * 4).order(ByteOrder.nativeOrder());
        data.put(in.readNBytes((int) s.size() * 4)).flip();
        Map<Device, NDArray> perDevice = new ConcurrentHashMap<>();
        perDevice.put(manager.getDevice(), manager.create(data, s, DataType.FLOAT32));
        return perDevice;
    }
}
