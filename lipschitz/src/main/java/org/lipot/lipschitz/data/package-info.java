/**
 * Classification data: the {@link org.lipot.lipschitz.data.Dataset} record (features {@code N x D} float32,
 * integer labels, optional image shape), deterministic stratified splits, and loaders: IDX files
 * ({@link org.lipot.lipschitz.data.Idx}, MNIST layout directories, {@link org.lipot.lipschitz.data.FashionMnist}),
 * the embedded UCI 8 x 8 {@link org.lipot.lipschitz.data.Digits}, and NPY / NPZ / CSV array files
 * ({@link org.lipot.lipschitz.data.ArrayDataFiles}).
 *
 * <p>Unreadable, corrupt or truncated files raise {@link java.io.UncheckedIOException} whose message starts
 * with the file name and says what is wrong; invalid arguments raise {@link IllegalArgumentException}.
 */
package org.lipot.lipschitz.data;
