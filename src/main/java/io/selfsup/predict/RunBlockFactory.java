package io.selfsup.predict;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.selfsup.nn.Pooling;
import io.selfsup.encode.TrainedModel;
import io.selfsup.method.PretextMethod;
import io.selfsup.run.ParameterFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the network a run directory describes (config.json's "method") and loads its newest weights, for
 * DJL's model loading (Criteria.optModelPath(runDir)). The block comes back with its parameters set, which is
 * why a run's serving.properties tells DJL that it has no parameter file of its own to read
 * (option.hasParameter=false): DJL looks for NAME-0000.params, and a run keeps model.params and checkpoints.
 * Argument "pooling" (avg|flatten) overrides the backbone's default feature, as ssl-encode --pool does.
 */
public final class RunBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        TrainedModel trained = TrainedModel.ofRun(modelPath);
        PretextMethod method = trained.method().create();
        NDManager manager = model.getNDManager();
        method.network().initialize(manager, DataType.FLOAT32, method.inputShapes(1));
        ParameterFiles.read(trained.parameters(), method.network(), manager);
        Object pool = arguments == null ? null : arguments.get("pooling");
        Pooling pooling = pool == null ? trained.method().backbone().defaultPooling() : pooling(pool.toString());
        return new FeatureBlock(method.backbone(), pooling, trained.method().featureMap(),
                trained.method().imageSize());
    }

    private static Pooling pooling(String name) {
        try {
            return Pooling.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument pooling must be avg or flatten, got '" + name + "'", e);
        }
    }
}
