/**
 * Files written so a reader only ever sees whole ones (atomic, durable writes and their digests), temporary files
 * removed on exit or Ctrl-C, and checks of output paths before any work. Imports only the root exceptions.
 */
package io.selfsup.files;
