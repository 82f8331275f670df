/**
 * Augmentations computed in Java on uint8 images exactly as torchvision computes them, with per-batch seeds. Imports only DJL.
 */
package io.selfsup.data.augment;
