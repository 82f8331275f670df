package io.selfsup.cli;

import io.selfsup.encode.TrainedModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --run DIR or --checkpoint FILE, one of them: which trained parameters a command uses (an exclusive group). */
final class ModelOptions {

    @Option(names = "--run", paramLabel = "DIR", required = true, description = "Run directory of ssl-train "
            + "(e.g. runs/last): its final model, else its newest intact checkpoint.")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, description = "A parameters file "
            + "(model.params or checkpoints/epoch-NNNN.params) instead of --run.")
    Path checkpoint;

    TrainedModel resolve() {
        return checkpoint != null ? TrainedModel.ofFile(checkpoint) : TrainedModel.ofRun(run);
    }
}
