package io.selfsup.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Gathers images of an {@link ImageStore} into a batch: uint8 bytes cross to the device (a quarter of the
 * float32 traffic) and are normalized there as torchvision's ToTensor + Normalize(0.5, 0.5) do.
 */
public final class BatchLoader {

    private final ImageStore store;
    private final byte[] staging;
    private final ByteBuffer direct;

    public BatchLoader(ImageStore store, int maxBatch) {
        this.store = store;
        this.staging = new byte[maxBatch * store.imageBytes()];
        this.direct = ByteBuffer.allocateDirect(staging.length);
    }

    /** Images order[from..to) as a normalized float32 (N, C, H, W) array on {@code device}. */
    public NDArray load(NDManager manager, int[] order, int from, int to, Device device) {
        int n = to - from;
        int bytes = store.imageBytes();
        for (int i = 0; i < n; i++) {
            store.copyImage(order[from + i], staging, i * bytes);
        }
        direct.clear();
        direct.put(staging, 0, n * bytes).flip();
        Shape shape = new Shape(n, store.channels(), store.height(), store.width());
        NDArray raw = manager.create(direct, shape, DataType.UINT8).toDevice(device, false);
        return normalize(raw);
    }

    /** (x / 255 - 0.5) / 0.5 in float32, the seed's transform, so values match PyTorch's bit for bit. */
    public static NDArray normalize(NDArray uint8) {
        return uint8.toType(DataType.FLOAT32, false).div(255f).sub(0.5f).div(0.5f);
    }
}
