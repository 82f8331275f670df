/**
 * Features out: a trained model of a run, the frozen encoder, .npz writing. Imports method, nn, run, data, engine.
 */
package io.selfsup.encode;
