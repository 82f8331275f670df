/**
 * A run directory as a DJL model (ModelZoo-style block factory and translator). Imports encode, method, nn, run.
 */
package io.selfsup.predict;
