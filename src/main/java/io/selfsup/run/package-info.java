/**
 * The run directory: the folder, its checkpoint store (the one notion of newest intact checkpoint), parameter files, checkpoint state and metrics rows. Imports DJL and the root utilities only.
 */
package io.selfsup.run;
