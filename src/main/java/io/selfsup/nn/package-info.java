/**
 * Layers DJL lacks, backbones (Backbone, BackboneType) and their PyTorch names and initialization, feature pooling. Imports only DJL.
 */
package io.selfsup.nn;
