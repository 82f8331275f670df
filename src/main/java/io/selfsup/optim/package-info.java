/**
 * Optimizers exactly as torch.optim computes them, their saveable state, learning-rate schedules, OptimizerConfig. Imports only DJL.
 */
package io.selfsup.optim;
