package io.selfsup.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/** Splitting a batch across devices, in near-equal consecutive parts (see {@link ReplicatedStep}). */
final class DataParallel {

    private DataParallel() {}

    /** Near-equal consecutive parts of {@code batch}, part i on {@code devices[i]} (fewer parts than images). */
    static NDList split(NDArray batch, Device[] devices) {
        if (devices.length == 1) {
            return new NDList(batch);
        }
        long n = batch.getShape().get(0);
        int parts = (int) Math.min(devices.length, n);
        long[] cuts = new long[parts - 1];
        for (int i = 1; i < parts; i++) {
            cuts[i - 1] = n * i / parts;
        }
        NDList split = batch.split(cuts, 0);
        NDList onDevices = new NDList(parts);
        for (int i = 0; i < parts; i++) {
            onDevices.add(split.get(i).toDevice(devices[i], false));
        }
        return onDevices;
    }

    /** Every view split as {@link #split(NDArray, Device[])}: element i holds part i of each view. */
    static List<NDList> split(NDList views, Device[] devices) {
        List<NDList> perView = views.stream().map(v -> split(v, devices)).toList();
        List<NDList> parts = new ArrayList<>();
        for (int i = 0; i < perView.get(0).size(); i++) {
            NDList part = new NDList(views.size());
            for (NDList view : perView) {
                part.add(view.get(i));
            }
            parts.add(part);
        }
        return parts;
    }
}
