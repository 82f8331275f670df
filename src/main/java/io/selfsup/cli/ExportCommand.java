package io.selfsup.cli;

import io.selfsup.encode.TrainedModel;
import io.selfsup.weights.StateDict;
import io.selfsup.weights.WeightContent;
import io.selfsup.weights.WeightExport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** ssl-export: a run's weights as a PyTorch state_dict file. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = "Writes a run's weights under PyTorch state_dict names: the article's Autoencoder "
                + "(encoder.0.weight ...) or torchvision's resnet18 (conv1.weight, layer1.0.bn1.running_mean ...), "
                + "as .safetensors or .npz by the extension of --out, with the architecture in the metadata.")
final class ExportCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    ModelOptions model;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The file to write: FILE.safetensors or FILE.npz.")
    Path out;

    @Option(names = "--all", description = "The whole network (decoder, projector, predictor, BYOL's target, "
            + "MoCo's key encoder and queues), not only the backbone.")
    boolean all;

    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        io.selfsup.files.OutputPaths.checkWritableFile(out, "--out");
        TrainedModel trained = model.resolve();
        StateDict dict = WeightExport.export(trained, out, all ? WeightContent.ALL : WeightContent.BACKBONE,
                overwrite);
        long values = dict.tensors().values().stream().mapToLong(t -> t.byteSize() / t.type().getNumOfBytes()).sum();
        System.out.printf(Locale.ROOT, "Wrote %d tensors (%,d values, %s) of %s to %s%n", dict.tensors().size(),
                values, all ? "whole network" : "backbone", dict.metadata().get("architecture").split(":")[0], out);
        return 0;
    }
}
