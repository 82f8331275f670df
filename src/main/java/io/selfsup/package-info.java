/**
 * What every package may use: the exceptions that become one-line errors and exit codes, and the version.
 */
package io.selfsup;
