package io.selfsup.weights;

/** How much of a method's network a weights file holds. */
public enum WeightContent {
    /** The backbone alone, under its own module names: what fine-tuning and feature extraction need. */
    BACKBONE,
    /** Every parameter of the method's network: decoder, projector, predictor, BYOL's target, MoCo's key
     * encoder and queues. */
    ALL;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
