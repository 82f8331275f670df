package io.selfsup.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.selfsup.nn.Scalars;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One training step of a network on one or more replicas, data-parallel and right by construction.
 *
 * <p>Replica 0 is the network's own parameters (on the first device); every other replica is a copy of all of
 * them made afresh at the start of each step, as torch.nn.DataParallel replicates its module per forward. Each
 * replica runs its part of the batch; the gradients of all replicas are summed on replica 0 and the optimizer
 * updates replica 0 once per parameter. So the optimizer's state (step counts, moments) exists once, on the
 * first device, and a checkpoint and a resume do not depend on how many devices trained. Non-trainable
 * parameters (BYOL's EMA target, batch-norm running statistics) are copied from replica 0 each step too; the
 * running statistics that count are replica 0's, computed on its part, as in DataParallel.
 *
 * <p>Replicas are indexed, not keyed by device, so two replicas may share a device: the tests run the same code
 * with two CPU replicas that a machine with two GPUs runs with one replica per GPU.
 */
final class ReplicatedStep {

    private final Block network;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Device[] devices;

    /**
     * @param devices one per replica; replica 0 is the network's own parameters, which must live on
     *     {@code devices[0]}
     */
    ReplicatedStep(Block network, Loss loss, Optimizer optimizer, Device[] devices) {
        if (devices.length == 0) {
            throw new IllegalArgumentException("no devices");
        }
        this.network = network;
        this.loss = loss;
        this.optimizer = optimizer;
        this.devices = devices.clone();
    }

    /**
     * Splits {@code views} (a batch on the host or on the first device) over the replicas and runs the forward
     * pass and loss of each part in a gradient-recording scope. Everything the pass creates belongs to
     * {@code batch}. No value is read back to the host here, so the devices' work overlaps.
     */
    Pass forward(NDManager batch, NDList views) {
        List<NDList> parts = DataParallel.split(views, devices);
        long images = views.head().getShape().get(0);
        // copies made before gradients are recorded: leaves of their own, not views that lead back to replica 0
        List<Replica> replicas = new ArrayList<>(parts.size() - 1);
        for (int r = 1; r < parts.size(); r++) {
            replicas.add(new Replica(batch, network, devices[r]));
        }
        GradientCollector collector = batch.getEngine().newGradientCollector();
        try {
            List<NDArray> weighted = new ArrayList<>(parts.size());
            NDArray lossSum = null;
            for (int r = 0; r < parts.size(); r++) {
                NDList part = parts.get(r);
                ParameterStore store = r == 0 ? new OwnParameters(batch) : replicas.get(r - 1);
                NDList outputs = network.forward(store, part, true);
                NDArray partLoss = loss.evaluate(part, outputs);
                long n = part.head().getShape().get(0);
                // the mean loss of a part, weighted by its share, makes the summed gradients the whole batch's
                weighted.add(parts.size() == 1 ? partLoss : partLoss.mul(Scalars.of(partLoss, (float) n / images)));
                NDArray summed = partLoss.stopGradient().mul(Scalars.of(partLoss, (float) n))
                        .toDevice(devices[0], false);
                lossSum = lossSum == null ? summed : lossSum.add(summed);
            }
            return new Pass(collector, replicas, weighted, lossSum);
        } catch (RuntimeException | Error e) {
            collector.close();
            throw e;
        }
    }

    /** A batch's forward pass: back-propagate and update with {@link #step()}, or close it to skip the batch. */
    final class Pass implements AutoCloseable {

        private final GradientCollector collector;
        private final List<Replica> replicas;
        private final List<NDArray> weightedLosses;
        private final NDArray lossSum;
        private boolean open = true;

        private Pass(GradientCollector collector, List<Replica> replicas, List<NDArray> weightedLosses,
                     NDArray lossSum) {
            this.collector = collector;
            this.replicas = replicas;
            this.weightedLosses = weightedLosses;
            this.lossSum = lossSum;
        }

        /** The sum over the batch's images of their loss, on the first device, not yet read. */
        NDArray lossSum() {
            return lossSum;
        }

        /**
         * Back-propagates every replica's loss, sums their gradients on replica 0 and applies one optimizer
         * update per trainable parameter there.
         */
        void step() {
            for (NDArray l : weightedLosses) {
                collector.backward(l);
            }
            close(); // the update runs outside gradient recording
            update(replicas);
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                collector.close();
            }
        }
    }

    private void update(List<Replica> replicas) {
        for (Pair<String, Parameter> pair : network.getParameters()) {
            Parameter parameter = pair.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            try (NDManager scope = weight.getManager().newSubManager()) {
                // the other replicas' gradients are added into replica 0's own: the optimizer reads it once and
                // clears it after its update (TorchSgd, and the engine's fused Adam)
                NDArray sum = weight.getGradient();
                sum.attach(scope);
                for (Replica replica : replicas) {
                    NDArray gradient = replica.copy(parameter).getGradient();
                    gradient.attach(scope);
                    NDArray onFirst = gradient.toDevice(devices[0], false);
                    onFirst.attach(scope);
                    sum.addi(onFirst);
                }
                optimizer.update(parameter.getId(), weight, sum);
            }
        }
    }

    /** Replica 0: the network's own parameter arrays, whatever device the input is on. */
    private static final class OwnParameters extends ParameterStore {

        OwnParameters(NDManager manager) {
            super(manager, false);
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            return parameter == null ? null : parameter.getArray();
        }
    }

    /** A copy of every parameter of a network on a device, made for one step and owned by that step's manager. */
    private static final class Replica extends ParameterStore {

        private final Map<String, NDArray> copies = new HashMap<>();

        Replica(NDManager batch, Block network, Device device) {
            super(batch, false);
            for (Pair<String, Parameter> pair : network.getParameters()) {
                Parameter parameter = pair.getValue();
                NDArray copy = copyOf(parameter.getArray(), device);
                copy.attach(batch);
                if (parameter.requiresGradient()) {
                    copy.setRequiresGradient(true);
                }
                copies.put(parameter.getId(), copy);
            }
        }

        /**
         * A new leaf array. DJL's toDevice(device, true) does not copy when the device is the array's own (torch's
         * to() returns the tensor itself), which would make two replicas on one device share their gradient.
         */
        private static NDArray copyOf(NDArray array, Device device) {
            try (NDArray detached = array.stopGradient()) {
                return device.equals(array.getDevice()) ? detached.duplicate() : detached.toDevice(device, false);
            }
        }

        NDArray copy(Parameter parameter) {
            return copies.get(parameter.getId());
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            return parameter == null ? null : copy(parameter);
        }
    }
}
