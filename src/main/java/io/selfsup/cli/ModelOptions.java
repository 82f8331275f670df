package io.selfsup.cli;

import io.selfsup.SelfsupException;
import io.selfsup.encode.TrainedModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --run DIR or --checkpoint FILE: which trained parameters a command uses. */
final class ModelOptions {

    @Option(names = "--run", paramLabel = "DIR", description = "Run directory of ssl-train (e.g. runs/last): "
            + "its final model, else its newest checkpoint.")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A parameters file (model.params or "
            + "checkpoints/epoch-NNNN.params) instead of --run.")
    Path checkpoint;

    boolean given() {
        return run != null || checkpoint != null;
    }

    TrainedModel resolve() {
        if (run != null && checkpoint != null) {
            throw new SelfsupException("pass either --run or --checkpoint, not both");
        }
        if (checkpoint != null) {
            return TrainedModel.ofFile(checkpoint);
        }
        if (run == null) {
            throw new SelfsupException("pass --run DIR (e.g. runs/last) or --checkpoint FILE");
        }
        return TrainedModel.ofRun(run);
    }
}
