/**
 * Helpers shared inside lipot-transport: row-block thread pools
 * ({@link org.lipot.transport.internal.RowBlocks}), stable radix sorts over primitive keys
 * ({@link org.lipot.transport.internal.Sorting}) and compensated summation
 * ({@link org.lipot.transport.internal.CompensatedSum}). Public only so that the other packages can use them; not
 * part of the API, and may change without notice.
 */
package org.lipot.transport.internal;
