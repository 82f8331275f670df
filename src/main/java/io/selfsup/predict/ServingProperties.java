package io.selfsup.predict;

/**
 * The serving.properties of a run directory: what lets DJL's Criteria load the run as a model from its path
 * (the engine, the block factory that builds the run's network, and no parameter file of DJL's naming). The
 * translator is given in the Criteria: DJL chooses it before it reads this file.
 */
public final class ServingProperties {

    public static final String FILE = "serving.properties";

    private ServingProperties() {}

    public static String content() {
        return "# Lets DJL load this run: Criteria.builder().setTypes(Image.class, float[].class)"
                + ".optModelPath(thisDirectory).optTranslator(new FeatureTranslator())\n"
                + "engine=PyTorch\n"
                + "blockFactory=" + RunBlockFactory.class.getName() + "\n"
                + "option.hasParameter=false\n";
    }
}
