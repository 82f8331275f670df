/**
 * The one training loop and its listeners, the run session (data, devices, run directory, resume) and the data-parallel step. Imports method, optim, run, data, nn, encode, eval, report, weights, predict, engine; not cli.
 */
package io.selfsup.train;
