package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/** torch.nn.MSELoss(): the mean of squared differences over all elements (DJL's l2Loss is half of that). */
public final class MseLoss extends Loss {

    public MseLoss() {
        super("MSE");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return predictions.singletonOrThrow().sub(labels.singletonOrThrow()).square().mean();
    }
}
