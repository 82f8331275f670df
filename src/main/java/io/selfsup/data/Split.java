package io.selfsup.data;

/** Which part of a data set: the images to learn from, or the held-out ones. */
public enum Split {
    TRAIN,
    TEST
}
