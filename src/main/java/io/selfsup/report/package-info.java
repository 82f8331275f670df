/**
 * Pictures and charts of a run (augmentation sheet, reconstructions, loss chart). Imports run (the metrics rows it charts), DJL and AWT.
 */
package io.selfsup.report;
