package io.selfsup.optim;

import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * An optimizer whose learning rate a schedule sets before each step and whose state (moments, step counts)
 * a checkpoint saves, so a resumed run continues exactly. Parameter ids are not stable across processes;
 * their order in the model is, so state goes by that order.
 */
public interface StatefulOptimizer {

    void setLearningRate(float learningRate);

    void saveState(DataOutputStream out, List<String> parameterIds) throws IOException;

    void loadState(DataInputStream in, List<String> parameterIds, NDManager manager) throws IOException;
}
