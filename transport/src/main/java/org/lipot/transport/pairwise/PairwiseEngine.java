package org.lipot.transport.pairwise;

import java.util.List;
import java.util.Map;

/**
 * An engine that computes pairwise matrices elsewhere than {@link LocalPairwise} (this machine's threads): for example
 * {@code spark} ({@code org.lipot.spark.SparkEngine} in {@code lipot-spark}), found through
 * {@link java.util.ServiceLoader} when it is on the class path. Engines run the same {@link TilePlan} and return the
 * same bits as {@link LocalPairwise}.
 */
public interface PairwiseEngine {

    /** The engine's name, as {@code lipot pairwise --engine} spells it. */
    String name();

    /**
     * The symmetric matrix of {@code method} over {@code clouds}.
     *
     * @param settings engine settings by name ({@code master} for Spark); unknown names are refused
     * @throws IllegalArgumentException for bad clouds or settings
     */
    <P> PairwiseResult symmetric(List<Cloud> clouds, PairwiseMethod<P> method, Map<String, String> settings);

    /**
     * The rectangular matrix {@code rows x columns} of {@code method}.
     *
     * @throws IllegalArgumentException for bad clouds or settings
     */
    <P> PairwiseResult cross(List<Cloud> rows, List<Cloud> columns, PairwiseMethod<P> method,
                             Map<String, String> settings);

    /**
     * The engine named {@code name} among those the service loader finds.
     *
     * @throws IllegalArgumentException if none has that name
     */
    static PairwiseEngine named(String name) {
        for (PairwiseEngine e : java.util.ServiceLoader.load(PairwiseEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("engine '" + name + "' is not on the class path"
                + ("spark".equals(name) ? " (it needs lipot-spark and Spark, which ./lipot adds for --engine spark)"
                : ""));
    }
}
