package io.selfsup.method;

import java.util.Locale;

/** The pretext tasks ssl-train offers. */
public enum MethodType {
    /** The seed article's convolutional autoencoder: reconstruct the image, MSE. */
    AUTOENCODER,
    /** SimCLR: two augmented views, projector, NT-Xent against every other image of the batch. */
    SIMCLR,
    /** BYOL: online network with predictor regresses an EMA target network's projection of the other view. */
    BYOL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
