/**
 * Image sources (CIFAR binary, DJL download, image folders) into one uint8 store, batches, and the view batches of the augmentations. Imports only DJL and io.selfsup's root utilities.
 */
package io.selfsup.data;
