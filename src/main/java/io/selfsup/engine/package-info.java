/**
 * The PyTorch engine: device choice, threads, which native library was loaded. Imports only DJL.
 */
package io.selfsup.engine;
