package org.lipot.transport.geometry;

/**
 * A ground cost {@code c(x, y) >= 0} between two points of the same dimension.
 *
 * <p>The built-in costs are exactly:
 * <ul>
 *   <li>{@link #SQUARED_EUCLIDEAN}: {@code c(x, y) = |x - y|_2^2 = sum_k (x_k - y_k)^2}, with no factor 1/2.
 *       Transport values under this cost are W_2^2.</li>
 *   <li>{@link #EUCLIDEAN}: {@code c(x, y) = |x - y|_2}. Transport values under this cost are W_1.</li>
 *   <li>{@link #lpPower(double)}: {@code c(x, y) = |x - y|_p^p = sum_k |x_k - y_k|^p} for {@code p >= 1}.</li>
 * </ul>
 * A custom cost is any implementation (for example a lambda); it must be finite and should be non-negative.
 * Arrays passed to {@link #between} must not be modified.
 */
@FunctionalInterface
public interface Cost {

    /** {@code |x - y|_2^2}. */
    Cost SQUARED_EUCLIDEAN = new Named("sqeuclidean", 2) {
        @Override
        public double between(double[] x, double[] y) {
            double s = 0;
            for (int k = 0; k < x.length; k++) {
                double d = x[k] - y[k];
                s += d * d;
            }
            return s;
        }
    };

    /** {@code |x - y|_2}. */
    Cost EUCLIDEAN = new Named("euclidean", 1) {
        @Override
        public double between(double[] x, double[] y) {
            return Math.sqrt(SQUARED_EUCLIDEAN.between(x, y));
        }
    };

    /**
     * The cost between two points.
     *
     * @param x a point (not modified)
     * @param y a point of the same dimension (not modified)
     * @return {@code c(x, y)}
     */
    double between(double[] x, double[] y);

    /**
     * The exponent {@code p} of a cost of the form {@code ||x - y||^p} for some norm: 2 for
     * {@link #SQUARED_EUCLIDEAN}, 1 for {@link #EUCLIDEAN}, {@code p} for {@link #lpPower(double)}; on the line
     * (dimension 1) each is {@code |x - y|^p}. {@code NaN} for a custom cost, whose form is unknown.
     */
    default double exponent() {
        return Double.NaN;
    }

    /**
     * {@code c(x, y) = sum_k |x_k - y_k|^p}, the p-th power of the l_p distance.
     *
     * @param p the exponent, {@code p >= 1}
     * @throws IllegalArgumentException if p is not finite or below 1
     */
    static Cost lpPower(double p) {
        if (!(p >= 1) || Double.isInfinite(p)) {
            throw new IllegalArgumentException("p must be a finite number >= 1, got " + p);
        }
        if (p == 2) {
            return SQUARED_EUCLIDEAN;
        }
        return new Named("lp:" + (p == Math.rint(p) && p < 1e15 ? Long.toString((long) p) : Double.toString(p)), p) {
            @Override
            public double between(double[] x, double[] y) {
                double s = 0;
                for (int k = 0; k < x.length; k++) {
                    s += Math.pow(Math.abs(x[k] - y[k]), p);
                }
                return s;
            }
        };
    }

    /**
     * Looks up a built-in cost by the name the command line uses: {@code sqeuclidean}, {@code euclidean}, or
     * {@code lp:P} for {@link #lpPower(double)}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    static Cost named(String name) {
        if (name.equals("sqeuclidean")) {
            return SQUARED_EUCLIDEAN;
        }
        if (name.equals("euclidean")) {
            return EUCLIDEAN;
        }
        if (name.startsWith("lp:")) {
            try {
                return lpPower(Double.parseDouble(name.substring(3)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cost: cannot parse the exponent in '" + name + "'");
            }
        }
        throw new IllegalArgumentException("cost: unknown cost '" + name + "' (expected sqeuclidean, euclidean or lp:P)");
    }

    /**
     * A cost with a name for messages and JSON output; the built-in costs' names are those {@link #named} accepts,
     * so that {@code Cost.named(c.toString())} is the same cost.
     */
    abstract class Named implements Cost {
        private final String name;
        private final double exponent;

        Named(String name, double exponent) {
            this.name = name;
            this.exponent = exponent;
        }

        @Override
        public double exponent() {
            return exponent;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
