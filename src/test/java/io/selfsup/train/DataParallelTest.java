package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selfsup.method.MseLoss;
import org.junit.jupiter.api.Test;

/** The data-parallel split, on CPU: parts cover the batch, and weighted part losses add up to the batch MSE. */
class DataParallelTest {

    @Test
    void weightedPartLossesEqualTheWholeBatchLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray prediction = manager.randomNormal(new Shape(10, 3, 4, 4));
            NDArray target = manager.randomNormal(new Shape(10, 3, 4, 4));
            Device[] three = {Device.cpu(), Device.cpu(), Device.cpu()};
            NDList predictions = DataParallel.split(prediction, three);
            NDList targets = DataParallel.split(target, three);
            assertEquals(3, predictions.size());
            assertEquals(10, predictions.stream().mapToLong(p -> p.getShape().get(0)).sum());
            MseLoss mse = new MseLoss();
            double weighted = 0;
            for (int i = 0; i < 3; i++) {
                weighted += mse.evaluate(new NDList(targets.get(i)), new NDList(predictions.get(i))).getFloat()
                        * predictions.get(i).getShape().get(0) / 10f;
            }
            float whole = mse.evaluate(new NDList(target), new NDList(prediction)).getFloat();
            assertEquals(whole, weighted, 1e-5);
        }
    }

    @Test
    void neverMorePartsThanImages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList parts = DataParallel.split(manager.zeros(new Shape(2, 3)),
                    new Device[] {Device.cpu(), Device.cpu(), Device.cpu(), Device.cpu()});
            assertEquals(2, parts.size());
            assertEquals(1, parts.get(1).getShape().get(0));
        }
    }
}
