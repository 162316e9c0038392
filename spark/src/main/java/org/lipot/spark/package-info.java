/**
 * Pairwise transport matrices on Apache Spark ({@link org.lipot.spark.SparkPairwise}), with the methods and tile
 * plans of {@code org.lipot.transport.pairwise}. Spark is a provided dependency: the cluster supplies it.
 */
package org.lipot.spark;
