package io.selfsup.engine;

/**
 * Thread settings of DJL's PyTorch engine. They are read once, when the engine loads, so this must run
 * before anything touches {@link ai.djl.engine.Engine}.
 */
public final class EngineSettings {

    private static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    private static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private EngineSettings() {}

    /**
     * Default intra-op threads: one per available core. Measured on a 2-vCPU machine (docs/benchmarks.md),
     * unlike PyTorch 1.13 from Python, libtorch 2.7 trains this model faster with both than with one.
     */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Applies --threads (0: the default); inter-op parallelism buys nothing for eager ops, so it is 1. */
    public static int apply(int threads) {
        int n = threads > 0 ? threads : Integer.getInteger(INTRA_OP, defaultThreads());
        System.setProperty(INTRA_OP, Integer.toString(n));
        if (System.getProperty(INTER_OP) == null) {
            System.setProperty(INTER_OP, "1");
        }
        return n;
    }
}
