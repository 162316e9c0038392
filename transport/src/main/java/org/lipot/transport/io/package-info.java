/**
 * Reading and writing arrays of doubles: NPY ({@link org.lipot.transport.io.Npy}), CSV
 * ({@link org.lipot.transport.io.Csv}), and a dispatcher on the file extension
 * ({@link org.lipot.transport.io.ArrayFiles}).
 *
 * <p>Unreadable or corrupt files raise {@link java.io.UncheckedIOException} with the file name and what is
 * wrong in the message. Writes are atomic: a temporary file in the target's folder is written, flushed to disk,
 * then moved over the target, so a reader never sees a half-written file.
 */
package org.lipot.transport.io;
