package io.selfsup.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An epoch's summed loss, kept on the device: each batch adds to it in place without waiting for the device,
 * and the host reads it only for a progress line, a checkpoint or the epoch's end. Summed in float32, and saved
 * and restored bit for bit, so a run resumed in mid-epoch reports the very loss an uninterrupted one would.
 */
final class RunningLoss implements AutoCloseable {

    private final NDManager manager;
    private final NDArray sum;
    private long images;

    RunningLoss(NDManager parent, Device device, float sum, long images) {
        this.manager = parent.newSubManager(device);
        this.sum = manager.create(sum);
        this.images = images;
    }

    /** Adds a batch's summed loss (a scalar on any device) over {@code n} images. */
    void add(NDArray batchSum, long n) {
        sum.addi(batchSum.toDevice(sum.getDevice(), false));
        images += n;
    }

    /** The sum so far; reading it waits for the device. */
    float sum() {
        return sum.getFloat();
    }

    long images() {
        return images;
    }

    /** The mean loss so far, or NaN before any image. */
    double mean() {
        return images == 0 ? Double.NaN : (double) sum() / images;
    }

    @Override
    public void close() {
        manager.close();
    }
}
