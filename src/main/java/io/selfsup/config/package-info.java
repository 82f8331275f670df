/**
 * config.json typed: the one schema and parser of what a run records. Imports method, optim, data, engine.
 */
package io.selfsup.config;
