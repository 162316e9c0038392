package org.lipot.transport;

import org.lipot.transport.geometry.Geometry;

/**
 * A balanced transport problem: a {@link Geometry} (the costs {@code C_ij}) and the source and target weights
 * {@code a} and {@code b}, validated once.
 *
 * <p>The totals {@code sum a} and {@code sum b} must agree to {@value #TOTAL_TOLERANCE} relative; larger
 * differences are an error unless the caller asks for {@link #normalized}. Within the tolerance, the exact solvers
 * scale {@code b} by {@code sum a / sum b} (a factor within {@value #TOTAL_TOLERANCE} of 1) so that the transport
 * balances; {@link Solution#marginalError()} is measured against the weights as given, so it shows that scaling.
 * Nothing else is rescaled.
 */
public final class TransportProblem {

    /** Relative tolerance on {@code |sum a - sum b| / max(sum a, sum b)}. */
    public static final double TOTAL_TOLERANCE = 1e-9;

    private final Geometry geometry;
    private final Marginals source;
    private final Marginals target;

    private TransportProblem(Geometry geometry, Marginals source, Marginals target) {
        this.geometry = geometry;
        this.source = source;
        this.target = target;
    }

    /**
     * A problem with the given weights, whose totals must agree.
     *
     * @throws IllegalArgumentException if the sizes do not match the geometry or the totals differ
     */
    public static TransportProblem of(Geometry geometry, Marginals source, Marginals target) {
        checkSizes(geometry, source, target);
        double ta = source.total();
        double tb = target.total();
        if (Math.abs(ta - tb) > TOTAL_TOLERANCE * Math.max(ta, tb)) {
            throw new IllegalArgumentException("source weights total " + ta + " but target weights total " + tb
                    + "; normalise them, or use TransportProblem.normalized(...) to rescale both to 1");
        }
        return new TransportProblem(geometry, source, target);
    }

    /** {@link #of(Geometry, Marginals, Marginals)} with weights validated from arrays. */
    public static TransportProblem of(Geometry geometry, double[] source, double[] target) {
        return of(geometry, Marginals.of("source weights", source), Marginals.of("target weights", target));
    }

    /** Uniform weights {@code 1/n} and {@code 1/m}. */
    public static TransportProblem uniform(Geometry geometry) {
        checkGeometry(geometry);
        return new TransportProblem(geometry, Marginals.uniform(geometry.sourceCount()),
                Marginals.uniform(geometry.targetCount()));
    }

    /** Both weight vectors rescaled to total 1 (an explicit request, so totals may differ). */
    public static TransportProblem normalized(Geometry geometry, Marginals source, Marginals target) {
        checkSizes(geometry, source, target);
        return new TransportProblem(geometry, source.normalized(), target.normalized());
    }

    private static void checkGeometry(Geometry geometry) {
        if (geometry == null) {
            throw new IllegalArgumentException("geometry must not be null");
        }
    }

    private static void checkSizes(Geometry geometry, Marginals source, Marginals target) {
        checkGeometry(geometry);
        if (source == null || target == null) {
            throw new IllegalArgumentException((source == null ? "source" : "target") + " weights must not be null");
        }
        if (source.size() != geometry.sourceCount()) {
            throw new IllegalArgumentException("geometry has " + geometry.sourceCount() + " source points but source weights have length "
                    + source.size());
        }
        if (target.size() != geometry.targetCount()) {
            throw new IllegalArgumentException("geometry has " + geometry.targetCount() + " target points but target weights have length "
                    + target.size());
        }
    }

    public Geometry geometry() {
        return geometry;
    }

    /** Source weights {@code a}. */
    public Marginals source() {
        return source;
    }

    /** Target weights {@code b}. */
    public Marginals target() {
        return target;
    }

    /** {@code n}. */
    public int sourceCount() {
        return geometry.sourceCount();
    }

    /** {@code m}. */
    public int targetCount() {
        return geometry.targetCount();
    }

    @Override
    public String toString() {
        return "TransportProblem[" + geometry + ", " + source + ", " + target + "]";
    }
}
