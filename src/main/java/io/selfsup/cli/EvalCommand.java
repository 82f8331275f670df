package io.selfsup.cli;

import io.selfsup.nn.Pooling;
import io.selfsup.encode.TrainedModel;
import io.selfsup.eval.EvalConfig;
import io.selfsup.eval.EvalJob;
import io.selfsup.eval.EvalRow;
import io.selfsup.eval.KnnClassifier;
import io.selfsup.eval.LinearProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** ssl-eval: how good are the features? Linear probe and kNN accuracy, against baselines. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = "Linear-probe and kNN accuracy of the frozen encoder's features (train split -> test split), "
                + "next to raw pixels and a randomly initialized encoder; on --data, else on the run's own data.")
final class EvalCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ModelOptions model;

    @Mixin
    DataOption data;

    @Option(names = "--features-train", paramLabel = "FILE", description = "Features of the training split "
            + "(ssl-encode --split train; .npz or .parquet) instead of --run.")
    Path featuresTrain;

    @Option(names = "--features-test", paramLabel = "FILE", description = "Features of the test split.")
    Path featuresTest;

    @Option(names = "--pool", split = ",", paramLabel = "flatten|avg",
            description = "Poolings to evaluate (default: flatten,avg for conv2, avg for resnet18).")
    List<Pooling> pools = new java.util.ArrayList<>();

    @Option(names = "--no-baselines", negatable = false, description = "Skip the raw-pixel and random-encoder rows.")
    boolean noBaselines;

    @Option(names = "--k", defaultValue = "" + KnnClassifier.DEFAULT_K, description = "Neighbours of the kNN vote "
            + "(default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--probe-epochs", defaultValue = "" + LinearProbe.DEFAULT_EPOCHS,
            description = "Epochs of the linear probe (default: ${DEFAULT-VALUE}).")
    int probeEpochs;

    @Option(names = "--batch-size", defaultValue = "256", description = "Images per forward pass when encoding.")
    int batchSize;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the table as Markdown.")
    Path report;

    @Mixin
    DeviceOption device;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        TrainedModel trained = model != null ? model.resolve() : null;
        EvalConfig config = new EvalConfig(trained, trained == null ? null : data.spec(trained), featuresTrain,
                featuresTest, pools, !noBaselines, k, probeEpochs, batchSize, report, device.device);
        System.out.println(EvalRow.HEADER);
        System.out.println(EvalRow.RULE);
        EvalJob.run(config, row -> System.out.println(row.markdown()));
        return 0;
    }
}
