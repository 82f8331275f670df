package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.selfsup.method.Methods;
import io.selfsup.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run of fewer epochs than twice a method's default warm-up gets half of it as warm-up, and a peak rate where the
 * whole warm-up's ramp is at that point, so no step goes faster than in a run with the whole warm-up (VICReg's
 * default rate after a cut warm-up sent a short run's loss to NaN). An asked --warmup-epochs keeps the rate; an asked
 * --lr is the whole ramp's peak.
 */
class ShortRunWarmupTest {

    @CommandLine.Command
    static final class Holder {
        @CommandLine.Mixin
        MethodOptions options;
    }

    private static OptimizerConfig optimizer(int epochs, String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.options.optimizerConfig(Methods.get("autoencoder"), epochs);
    }

    @Test
    void aShortRunsCutWarmupLowersThePeakToTheWholeRampsRate() {
        OptimizerConfig whole = optimizer(10, "--method", "vicreg");
        assertEquals(1f, whole.warmupEpochs(), "VICReg's default warm-up epoch fits 10 epochs");
        OptimizerConfig one = optimizer(1, "--method", "vicreg");
        assertEquals(0.5f, one.warmupEpochs(), "half of a one-epoch run");
        assertEquals(whole.learningRate() * 0.5f, one.learningRate(), 1e-7f, "where the whole ramp is at 0.5 epochs");
    }

    @Test
    void anAskedWarmupOrRateIsKept() {
        OptimizerConfig whole = optimizer(10, "--method", "vicreg");
        assertEquals(whole.learningRate(), optimizer(1, "--method", "vicreg", "--warmup-epochs", "0.5").learningRate(),
                "--warmup-epochs given: the default peak");
        assertEquals(0.5f, optimizer(1, "--method", "vicreg", "--warmup-epochs", "0.5").warmupEpochs());
        assertEquals(0.2f * 0.5f, optimizer(1, "--method", "vicreg", "--lr", "0.2").learningRate(), 1e-7f,
                "--lr given, warm-up cut: that rate is the whole ramp's peak");
    }
}
