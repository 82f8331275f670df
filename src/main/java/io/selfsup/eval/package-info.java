/**
 * Linear probe and kNN on features, against raw pixels and a random encoder. Imports encode, nn, data, engine.
 */
package io.selfsup.eval;
