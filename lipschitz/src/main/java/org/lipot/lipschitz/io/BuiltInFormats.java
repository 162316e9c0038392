package org.lipot.lipschitz.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lipot.lipschitz.layers.AffineLayer;
import org.lipot.lipschitz.layers.AocConv2d;
import org.lipot.lipschitz.layers.AolDense;
import org.lipot.lipschitz.layers.BcopConv2d;
import org.lipot.lipschitz.layers.Conv2d;
import org.lipot.lipschitz.layers.ConvTranspose2d;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.Flatten;
import org.lipot.lipschitz.layers.FrobeniusConv2d;
import org.lipot.lipschitz.layers.FrobeniusDense;
import org.lipot.lipschitz.layers.FullSort;
import org.lipot.lipschitz.layers.GroupSort;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.Householder;
import org.lipot.lipschitz.layers.InvertibleDownSampling;
import org.lipot.lipschitz.layers.InvertibleUpSampling;
import org.lipot.lipschitz.layers.LipResidual;
import org.lipot.lipschitz.layers.MaxMin;
import org.lipot.lipschitz.layers.OrthogonalConv2d;
import org.lipot.lipschitz.layers.OrthogonalPatchConv2d;
import org.lipot.lipschitz.layers.PixelShuffling;
import org.lipot.lipschitz.layers.ReparametrisedConv2d;
import org.lipot.lipschitz.layers.ScaledAvgPool2d;
import org.lipot.lipschitz.layers.ScaledGlobalAvgPool2d;
import org.lipot.lipschitz.layers.ScaledGlobalL2NormPool2d;
import org.lipot.lipschitz.layers.ScaledL2NormPool2d;
import org.lipot.lipschitz.layers.SllDense;
import org.lipot.lipschitz.layers.SpectralConv2d;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.layers.Unflatten;
import org.lipot.lipschitz.layers.WindowPooling;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.ScalableLayer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.ConvGeometry;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.param.PowerIteration;
import org.lipot.lipschitz.param.Rko;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The formats of the layers lipot ships, registered by {@link ModelFiles} at start. */
final class BuiltInFormats {

    private BuiltInFormats() {
    }

    /** A format from a type name, a class and two functions. */
    static <L extends Layer> LayerFormat<L> of(String type, Class<L> c, Writer<L> write,
                                               Function<LayerReader, Layer> read) {
        return new LayerFormat<>() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Class<L> layerClass() {
                return c;
            }

            @Override
            public void write(L layer, LayerWriter out) {
                write.write(layer, out);
            }

            @Override
            public Layer read(LayerReader in) {
                return read.apply(in);
            }
        };
    }

    /** The write half of a format. */
    @FunctionalInterface
    interface Writer<L extends Layer> {
        void write(L layer, LayerWriter out);
    }

    /** A parameter-free layer with no settings. */
    private static <L extends Layer> LayerFormat<L> plain(Class<L> c, Supplier<L> create) {
        return of(c.getSimpleName(), c, (l, out) -> { }, in -> create.get());
    }

    static List<LayerFormat<?>> all() {
        List<LayerFormat<?>> f = new ArrayList<>();
        f.add(of("Sequential", Sequential.class, (s, out) -> {
            out.put("lipschitz_factor", s.lipschitzFactor());
            out.children("layers", s.layers());
        }, BuiltInFormats::sequential));
        f.add(of("LipResidual", LipResidual.class, BuiltInFormats::writeResidual, BuiltInFormats::residual));
        f.add(of("ConvTranspose2d", ConvTranspose2d.class, (t, out) -> {
            out.child("convolution", t.convolution());
            out.put("bias", t.bias() != null);
            if (t.bias() != null) {
                out.array("bias", t.bias().value());
            }
        }, in -> {
            if (!(in.child("convolution") instanceof ReparametrisedConv2d conv)) {
                throw in.bad("has a convolution that is not a 2-D convolution");
            }
            boolean bias = in.bool("bias");
            ConvTranspose2d t = in.build(() -> new ConvTranspose2d(conv, bias));
            if (bias) {
                in.array("bias", t.bias().value());
            }
            return t;
        }));
        f.add(of("SpectralDense", SpectralDense.class, (s, out) -> {
            affine(s, out);
            out.put("bias", s.bias() != null);
            out.set("rko", rkoNode(s.rko()));
            out.array("u", s.powerVector());
            out.arrays(s.inferenceState());
        }, in -> {
            int n = in.integer("in");
            int m = in.integer("out");
            boolean bias = in.bool("bias");
            DataType dt = in.dtype();
            Rko rko = rko(in);
            SpectralDense s = in.build(() -> SpectralDense.builder(n, m).bias(bias).dataType(dt).rko(rko).build());
            parameters(s, in);
            in.array("u", s.powerVector());
            in.inferenceState(s.inferenceState(), s::restoreInferenceState, s::checkInferenceState);
            return s;
        }));
        f.add(of("FrobeniusDense", FrobeniusDense.class, (l, out) -> {
            affine(l, out);
            out.put("disjoint_neurons", l.disjointNeurons());
            out.arrays(l.inferenceState());
        }, in -> {
            int n = in.integer("in");
            int m = in.integer("out");
            boolean disjoint = in.bool("disjoint_neurons");
            DataType dt = in.dtype();
            FrobeniusDense l = in.build(() -> new FrobeniusDense(n, m, disjoint, 0, dt));
            parameters(l, in);
            in.inferenceState(l.inferenceState(), l::restoreInferenceState, l::checkInferenceState);
            return l;
        }));
        f.add(of("AolDense", AolDense.class, (l, out) -> {
            affine(l, out);
            out.arrays(l.inferenceState());
        }, in -> {
            int n = in.integer("in");
            int m = in.integer("out");
            DataType dt = in.dtype();
            AolDense l = in.build(() -> new AolDense(n, m, 0, dt));
            parameters(l, in);
            in.inferenceState(l.inferenceState(), l::restoreInferenceState, l::checkInferenceState);
            return l;
        }));
        f.add(of("Dense", Dense.class, (l, out) -> {
            affine(l, out);
            out.put("bias", l.bias() != null);
        }, in -> {
            int n = in.integer("in");
            int m = in.integer("out");
            boolean bias = in.bool("bias");
            DataType dt = in.dtype();
            Dense l = in.build(() -> new Dense(Nd4j.zeros(dt, m, n), bias ? Nd4j.zeros(dt, m) : null));
            parameters(l, in);
            return l;
        }));
        f.add(of("SllDense", SllDense.class, (l, out) -> {
            INDArray v = l.weight().value();
            out.put("width", v.size(1));
            out.put("hidden", v.size(0));
            out.dtype(v.dataType());
            writeParameters(l, out);
        }, in -> {
            int width = in.integer("width");
            int hidden = in.integer("hidden");
            DataType dt = in.dtype();
            SllDense l = in.build(() -> new SllDense(width, hidden, 0, dt));
            parameters(l, in);
            return l;
        }));
        f.add(of("Householder", Householder.class, (l, out) -> {
            out.put("channels", 2 * l.theta().value().length());
            out.dtype(l.theta().value().dataType());
            writeParameters(l, out);
        }, in -> {
            int channels = in.integer("channels");
            DataType dt = in.dtype();
            Householder l = in.build(() -> new Householder(channels, dt));
            parameters(l, in);
            return l;
        }));
        f.add(of("GroupSort", GroupSort.class, (l, out) -> out.put("group_size", l.groupSize()),
                in -> {
                    int k = in.integer("group_size");
                    return in.build(() -> new GroupSort(k));
                }));
        f.add(plain(GroupSort2.class, GroupSort2::new));
        f.add(plain(FullSort.class, FullSort::new));
        f.add(plain(MaxMin.class, MaxMin::new));
        f.add(plain(Flatten.class, Flatten::new));
        f.add(of("Unflatten", Unflatten.class, (l, out) -> {
            out.put("channels", l.imageShape()[0]);
            out.put("height", l.imageShape()[1]);
            out.put("width", l.imageShape()[2]);
        }, in -> {
            int c = in.integer("channels");
            int h = in.integer("height");
            int w = in.integer("width");
            return in.build(() -> new Unflatten(c, h, w));
        }));
        f.add(pool(ScaledAvgPool2d.class, ScaledAvgPool2d::new));
        f.add(pool(ScaledL2NormPool2d.class, ScaledL2NormPool2d::new));
        f.add(plain(ScaledGlobalAvgPool2d.class, ScaledGlobalAvgPool2d::new));
        f.add(plain(ScaledGlobalL2NormPool2d.class, ScaledGlobalL2NormPool2d::new));
        f.add(shuffle(InvertibleDownSampling.class, InvertibleDownSampling::new));
        f.add(shuffle(InvertibleUpSampling.class, InvertibleUpSampling::new));
        f.add(of("Conv2d", Conv2d.class, (l, out) -> {
            conv(l, out);
            out.put("bias", l.bias() != null);
        }, in -> {
            ConvSettings c = convSettings(in);
            boolean bias = in.bool("bias");
            Conv2d l = in.build(() -> new Conv2d(Nd4j.zeros(c.type, c.cout, c.cin, c.kh, c.kw),
                    bias ? Nd4j.zeros(c.type, c.cout) : null, c.sh, c.sw, c.padding));
            parameters(l, in);
            return l;
        }));
        f.add(of("SpectralConv2d", SpectralConv2d.class, (l, out) -> {
            conv(l, out);
            out.put("bias", l.bias() != null);
            out.set("rko", rkoNode(l.rko()));
            out.array("u", l.powerVector());
            out.arrays(l.inferenceState());
        }, in -> {
            ConvSettings c = convSettings(in);
            boolean bias = in.bool("bias");
            Rko rko = rko(in);
            SpectralConv2d l = in.build(() -> SpectralConv2d.builder(c.cin, c.cout, c.kh, c.kw).stride(c.sh, c.sw)
                    .padding(c.padding).bias(bias).dataType(c.type).rko(rko).build());
            parameters(l, in);
            in.array("u", l.powerVector());
            in.inferenceState(l.inferenceState(), l::restoreInferenceState, l::checkInferenceState);
            return l;
        }));
        f.add(of("FrobeniusConv2d", FrobeniusConv2d.class, (l, out) -> {
            conv(l, out);
            out.arrays(l.inferenceState());
        }, in -> {
            ConvSettings c = convSettings(in);
            FrobeniusConv2d l = in.build(() -> new FrobeniusConv2d(c.cin, c.cout, c.kh, c.kw, c.sh, c.sw, c.padding,
                    0, c.type));
            parameters(l, in);
            in.inferenceState(l.inferenceState(), l::restoreInferenceState, l::checkInferenceState);
            return l;
        }));
        f.add(orthogonalConv(OrthogonalPatchConv2d.class, (c, in) -> {
            if (c.kh != c.sh || c.kw != c.sw) {
                throw in.bad("has kernel " + c.kh + " x " + c.kw + " but stride " + c.sh + " x " + c.sw
                        + "; OrthogonalPatchConv2d needs kernel = stride");
            }
            return OrthogonalPatchConv2d.builder(c.cin, c.cout, c.sh, c.sw);
        }));
        f.add(orthogonalConv(BcopConv2d.class, (c, in) -> {
            if (c.cin != c.cout || c.sh != 1 || c.sw != 1) {
                throw in.bad("has cin " + c.cin + ", cout " + c.cout + ", stride " + c.sh + " x " + c.sw
                        + "; BcopConv2d needs cin = cout and stride 1");
            }
            return BcopConv2d.builder(c.cin, c.kh, c.kw);
        }));
        f.add(orthogonalConv(AocConv2d.class,
                (c, in) -> AocConv2d.builder(c.cin, c.cout, c.kh, c.kw).stride(c.sh, c.sw)));
        return f;
    }

    /** The builder of an {@link OrthogonalConv2d} for saved sizes; reports bad sizes through the reader. */
    @FunctionalInterface
    private interface OrthogonalBuilder<B extends OrthogonalConv2d.Builder<B>> {
        B create(ConvSettings c, LayerReader in);
    }

    /** An {@link OrthogonalConv2d}: its convolution settings, bias, Björck settings and inference state. */
    private static <L extends OrthogonalConv2d, B extends OrthogonalConv2d.Builder<B>> LayerFormat<L> orthogonalConv(
            Class<L> c, OrthogonalBuilder<B> builder) {
        return of(c.getSimpleName(), c, (l, out) -> {
            conv(l, out);
            out.put("bias", l.bias() != null);
            ObjectNode n = ModelFiles.JSON.createObjectNode();
            putBjorck(n, l.bjorck());
            out.set("bjorck", n);
            out.arrays(l.inferenceState());
        }, in -> {
            ConvSettings s = convSettings(in);
            boolean bias = in.bool("bias");
            Bjorck bjorck = bjorck(in.nested(in.field("bjorck"), "bjorck"));
            OrthogonalConv2d l = in.build(() -> builder.create(s, in).padding(s.padding).bias(bias)
                    .dataType(s.type).bjorck(bjorck).build());
            parameters(l, in);
            in.inferenceState(l.inferenceState(), l::restoreInferenceState, l::checkInferenceState);
            return l;
        });
    }

    /** The sizes, stride, padding and data type of a convolution, and its parameters. */
    private static void conv(ReparametrisedConv2d l, LayerWriter out) {
        out.put("cin", l.inputChannels());
        out.put("cout", l.outputChannels());
        out.put("kh", l.kernelHeight());
        out.put("kw", l.kernelWidth());
        out.put("stride_h", l.strideHeight());
        out.put("stride_w", l.strideWidth());
        out.put("padding", l.padding().name());
        out.dtype(l.weight().value().dataType());
        out.put("lipschitz_factor", l.lipschitzFactor());
        writeParameters(l, out);
    }

    /** What {@link #conv} writes. */
    private record ConvSettings(int cin, int cout, int kh, int kw, int sh, int sw, ConvGeometry.Padding padding,
                                DataType type) {
    }

    private static ConvSettings convSettings(LayerReader in) {
        int cin = in.integer("cin");
        int cout = in.integer("cout");
        int kh = in.integer("kh");
        int kw = in.integer("kw");
        int sh = in.integer("stride_h");
        int sw = in.integer("stride_w");
        String name = in.text("padding");
        ConvGeometry.Padding padding = Arrays.stream(ConvGeometry.Padding.values()).filter(p -> p.name().equals(name))
                .findFirst().orElseThrow(() -> in.bad("has unknown padding '" + name + "' (known: "
                        + Arrays.toString(ConvGeometry.Padding.values()) + ")"));
        return new ConvSettings(cin, cout, kh, kw, sh, sw, padding, in.dtype());
    }

    /** A pooling layer over {@code pool_height x pool_width} windows. */
    private static <L extends WindowPooling> LayerFormat<L> pool(Class<L> c,
                                                                  BiFunction<Integer, Integer, L> create) {
        return of(c.getSimpleName(), c, (l, out) -> {
            out.put("pool_height", l.poolHeight());
            out.put("pool_width", l.poolWidth());
        }, in -> {
            int kh = in.integer("pool_height");
            int kw = in.integer("pool_width");
            return in.build(() -> create.apply(kh, kw));
        });
    }

    /** A space-to-depth or depth-to-space layer with its {@code factor}. */
    private static <L extends PixelShuffling> LayerFormat<L> shuffle(Class<L> c, IntFunction<L> create) {
        return of(c.getSimpleName(), c, (l, out) -> out.put("factor", l.factor()), in -> {
            int k = in.integer("factor");
            return in.build(() -> create.apply(k));
        });
    }

    private static Sequential sequential(LayerReader in) {
        double k = in.number("lipschitz_factor");
        List<Layer> layers = in.children("layers");
        List<Double> factors = new ArrayList<>();
        for (Layer l : layers) {
            factors.add(l instanceof ScalableLayer s ? s.lipschitzFactor() : Double.NaN);
        }
        // withLipschitzFactor records k and spreads it over the layers; each layer then gets back its own saved
        // factor, which may have been changed after the Sequential was built
        Sequential s = in.build(() -> Sequential.withLipschitzFactor(k, layers));
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof ScalableLayer sl) {
                sl.setLipschitzFactor(factors.get(i));
            }
        }
        return s;
    }

    private static void writeResidual(LipResidual r, LayerWriter out) {
        Parameter logit = r.logit();
        if (logit == null) {
            out.put("mixing", "fixed");
            out.put("t", r.t());
        } else {
            out.put("mixing", "learned");
            out.dtype(logit.value().dataType());
            out.array(logit.name(), logit.value());
        }
        out.child("branch", r.branch());
    }

    private static LipResidual residual(LayerReader in) {
        Layer branch = in.child("branch");
        String mixing = in.text("mixing");
        if (mixing.equals("fixed")) {
            double t = in.number("t");
            return in.build(() -> LipResidual.fixed(branch, t));
        }
        if (mixing.equals("learned")) {
            DataType dt = in.dtype();
            LipResidual r = in.build(() -> LipResidual.learned(branch, 0.0, dt));
            in.array(r.logit().name(), r.logit().value());
            return r;
        }
        throw in.bad("has mixing '" + mixing + "'; expected fixed or learned");
    }

    /** The sizes and data type of a dense layer, and its parameters. */
    private static void affine(AffineLayer l, LayerWriter out) {
        out.put("in", l.inputSize());
        out.put("out", l.outputSize());
        out.dtype(l.weight().value().dataType());
        out.put("lipschitz_factor", l.lipschitzFactor()); // here, where files before the registry have it
        writeParameters(l, out);
    }

    private static void writeParameters(Layer l, LayerWriter out) {
        for (Parameter p : l.parameters()) {
            out.array(p.name(), p.value());
        }
    }

    /** Declares the new layer's parameters as arrays to fill. */
    private static void parameters(Layer l, LayerReader in) {
        for (Parameter p : l.parameters()) {
            in.array(p.name(), p.value());
        }
    }

    private static ObjectNode rkoNode(Rko rko) {
        ObjectNode n = ModelFiles.JSON.createObjectNode();
        n.put("power_iterations", rko.power().iterations());
        n.put("power_tolerance", rko.power().tolerance());
        n.put("eps_spectral", rko.epsSpectral());
        putBjorck(n, rko.bjorck());
        return n;
    }

    /** Björck's settings as fields of {@code n} (inside an "rko" node, or a "bjorck" node of their own). */
    private static void putBjorck(ObjectNode n, Bjorck b) {
        n.put("bjorck_beta", b.beta());
        n.put("bjorck_iterations", b.maxIterations());
        n.put("bjorck_tolerance", b.tolerance());
        n.put("gradient_mode", b.gradientMode().kind().name());
        n.put("gradient_mode_k", b.gradientMode().count());
    }

    private static Rko rko(LayerReader layer) {
        JsonNode n = layer.field("rko");
        LayerReader in = layer.nested(n, "rko");
        int powerIterations = in.integer("power_iterations");
        double powerTolerance = in.number("power_tolerance");
        double epsSpectral = in.number("eps_spectral");
        Bjorck bjorck = bjorck(in);
        return in.build(() -> new Rko(
                PowerIteration.builder().iterations(powerIterations).tolerance(powerTolerance).build(),
                epsSpectral, bjorck));
    }

    /** What {@link #putBjorck} wrote. */
    private static Bjorck bjorck(LayerReader in) {
        double beta = in.number("bjorck_beta");
        int bjorckIterations = in.integer("bjorck_iterations");
        double bjorckTolerance = in.number("bjorck_tolerance");
        String saved = in.text("gradient_mode");
        // the names before the modes were named for what they keep
        String kind = saved.equals("DETACH_FIRST") ? "THROUGH_FIRST" : saved.equals("DETACH_LAST") ? "THROUGH_LAST"
                : saved;
        int k = in.integer("gradient_mode_k");
        GradientMode.Kind modeKind = Arrays.stream(GradientMode.Kind.values()).filter(m -> m.name().equals(kind))
                .findFirst().orElseThrow(() -> in.bad("has unknown gradient_mode '" + kind + "' (known: "
                        + Arrays.toString(GradientMode.Kind.values()) + ")"));
        return in.build(() -> Bjorck.builder().beta(beta).maxIterations(bjorckIterations).tolerance(bjorckTolerance)
                .gradientMode(new GradientMode(modeKind, k)).build());
    }
}
