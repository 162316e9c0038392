package org.lipot.lipschitz.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lipot.lipschitz.layers.AolDense;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.Flatten;
import org.lipot.lipschitz.layers.FrobeniusDense;
import org.lipot.lipschitz.layers.FullSort;
import org.lipot.lipschitz.layers.GroupSort;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.Householder;
import org.lipot.lipschitz.layers.LipResidual;
import org.lipot.lipschitz.layers.MaxMin;
import org.lipot.lipschitz.layers.SllDense;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.ScalableLayer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.transport.io.Npy;
import org.lipot.transport.io.NpyArray;
import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.param.PowerIteration;
import org.lipot.lipschitz.param.Rko;
import org.lipot.transport.io.AtomicWrite;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves a network to a zip file and loads it back, bit for bit.
 *
 * <p><b>Format</b> (version {@value #VERSION}). A zip archive holding
 * <ul>
 *   <li>{@code model.json}: {@code {"format": "lipot-model", "version": 1, "model": LAYER}} where a {@code LAYER}
 *       is an object with its {@code "type"} (the simple class name), its hyper-parameters (sizes, {@code "dtype"}
 *       {@code "float32"} or {@code "float64"}, the Lipschitz factor {@code "lipschitz_factor"}, for
 *       {@code SpectralDense} every {@link Rko} setting under {@code "rko"}, ...), for containers their children
 *       ({@code Sequential}: {@code "layers"}, {@code LipResidual}: {@code "branch"}), and {@code "arrays"}: a map
 *       from the array's role to its zip entry.</li>
 *   <li>one NPY array per entry, C order, little-endian float32 ({@code <f4}) or float64 ({@code <f8}) as in the
 *       model, stored uncompressed, so the file is also an {@code .npz} that {@code numpy.load} opens. Entry names
 *       are the layer's position ({@code "3."} in a {@code Sequential}, {@code "branch."} in a
 *       {@code LipResidual}, nested) followed by the role: {@code 3.weight.npy}, {@code 5.branch.0.u.npy}.</li>
 * </ul>
 * The roles are the layer's {@link Parameter} names ({@code weight}, {@code bias}, {@code logQ}, {@code theta},
 * {@code logit}), {@code u} (the persistent power-iteration vector of {@code SpectralDense}) and the layer's
 * inference state ({@code effective_weight}, and {@code scale} for {@code AolDense}).
 *
 * <p><b>Why the effective weight is saved.</b> Inference uses the effective weight cached by the last training pass
 * (or {@link Layer#refreshWeights()}), not one recomputed from the current raw weight: after the optimiser's last
 * step the two differ unless the weights were refreshed, and for {@code SpectralDense} the recomputation would also
 * advance the power iteration from a {@code u} that has already moved. So the cache of every reparametrised dense
 * layer ({@code SpectralDense}, {@code FrobeniusDense}, {@code AolDense}) is saved as is; {@code Dense} has none to
 * save (its cache is its weight), and {@code SllDense}, {@code Householder} and the residual mixing weight are
 * recomputed from their parameters at every pass. Loaded this way, a model's inference outputs, Lipschitz bound and
 * parameters are bit-identical to the saved model's, and a training step from both gives identical parameters.
 * Diagnostics of the last pass ({@code SpectralDense.sigma()}, iteration counts) and optimiser state are not saved.
 *
 * <p><b>Writing</b> is atomic: the archive is written to a temporary file in the target's folder, synced, then
 * moved over the target, so a reader never sees a partial file. Entries carry a fixed timestamp, so the same model
 * gives the same bytes.
 *
 * <p><b>Errors on load</b> name the file and what is wrong: an unreadable, corrupt or truncated zip (including an
 * entry failing its CRC check) gives an {@link UncheckedIOException}; a well-formed zip with wrong content (no
 * {@code model.json}, invalid JSON, another format, a newer version, an unknown layer type, a missing field, entry
 * or array, a shape or data type that does not fit the layer) an {@link IllegalArgumentException}.
 */
public final class ModelFiles {

    /** The {@code "format"} value of {@code model.json}. */
    public static final String FORMAT = "lipot-model";
    /** The format version this class writes and the newest it reads. */
    public static final int VERSION = 1;
    /** Name of the configuration entry. */
    public static final String CONFIG_ENTRY = "model.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final List<String> TYPES = List.of("Sequential", "LipResidual", "SpectralDense", "FrobeniusDense",
            "AolDense", "Dense", "SllDense", "Householder", "GroupSort", "GroupSort2", "FullSort", "MaxMin", "Flatten");

    private ModelFiles() {
    }

    /**
     * Writes {@code model} (its structure, hyper-parameters, parameters and inference state) to {@code zip},
     * atomically; an existing file is replaced. The model is not modified.
     *
     * @throws IllegalArgumentException if the model holds a layer type the format does not know (naming it and its
     *                                  position); nothing is written then
     * @throws UncheckedIOException     naming the file if it cannot be written
     */
    public static void save(Layer model, Path zip) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        if (zip == null) {
            throw new IllegalArgumentException("zip (the target path) must not be null");
        }
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.set("model", describe(model, "model", "", arrays));
        byte[] config;
        try {
            config = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the model configuration: " + e.getMessage(), e);
        }
        write(zip, config, arrays);
    }

    /**
     * Reads a model written by {@link #save}. Containers come back as the same types ({@link Sequential},
     * {@link LipResidual}), with the same layers in the same order.
     *
     * @throws UncheckedIOException     naming the file if it is missing, unreadable, not a zip, truncated or corrupt
     * @throws IllegalArgumentException naming the file and the place in {@code model.json} if the content is not a
     *                                  model this version can read (see the class description)
     */
    public static Layer load(Path zip) {
        return load(zip, false);
    }

    /**
     * Reads a model written by {@link #save} for certification: as {@link #load}, and refuses a file whose arrays
     * are not consistent, since a certificate must not rest on saved state that inference would not reproduce.
     * Every array must be finite, and the inference state of each {@code SpectralDense}, {@code FrobeniusDense} and
     * {@code AolDense} (effective weight, AOL's scales) must equal its recomputation from the layer's raw weight (and
     * {@code u}) within the tolerance of {@code checkInferenceState()} (relative {@code 1e-5}); a model refreshed
     * before saving (as the trainer leaves it) passes. Certificates of the loaded model read only the arrays that
     * inference multiplies by.
     *
     * @throws UncheckedIOException     as {@link #load}
     * @throws IllegalArgumentException as {@link #load}, or naming the file and the layer (position and type) whose
     *                                  arrays are not finite or not consistent
     */
    public static Layer loadForCertification(Path zip) {
        return load(zip, true);
    }

    private static Layer load(Path zip, boolean certify) {
        if (zip == null) {
            throw new IllegalArgumentException("zip (the model path) must not be null");
        }
        Map<String, byte[]> entries = readEntries(zip);
        byte[] config = entries.get(CONFIG_ENTRY);
        if (config == null) {
            throw new IllegalArgumentException(zip + ": no " + CONFIG_ENTRY + " entry; not a lipot model (entries: "
                    + entries.keySet() + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(config);
        } catch (IOException e) {
            throw new IllegalArgumentException(zip + ": " + CONFIG_ENTRY + " is not valid JSON: " + e.getMessage(), e);
        }
        Reader r = new Reader(zip, entries, certify);
        if (root == null || !root.isObject()) {
            throw r.bad(CONFIG_ENTRY, "must hold a JSON object");
        }
        String format = r.text(root, "format", CONFIG_ENTRY);
        if (!format.equals(FORMAT)) {
            throw r.bad(CONFIG_ENTRY, "has format '" + format + "', expected '" + FORMAT + "'");
        }
        int version = r.integer(root, "version", CONFIG_ENTRY);
        if (version > VERSION) {
            throw r.bad(CONFIG_ENTRY, "has format version " + version + ", newer than this lipot reads (" + VERSION
                    + "); update lipot");
        }
        if (version < 1) {
            throw r.bad(CONFIG_ENTRY, "has invalid format version " + version);
        }
        return r.layer(r.field(root, "model", CONFIG_ENTRY), "model");
    }

    // ---------------------------------------------------------------------------------------------------- saving

    private static ObjectNode describe(Layer layer, String where, String prefix, Map<String, byte[]> arrays) {
        ObjectNode n = JSON.createObjectNode();
        Class<?> c = layer.getClass();
        n.put("type", c.getSimpleName());
        Map<String, INDArray> named = new LinkedHashMap<>();
        if (c == Sequential.class) {
            Sequential s = (Sequential) layer;
            n.put("lipschitz_factor", s.lipschitzFactor());
            ArrayNode children = n.putArray("layers");
            for (int i = 0; i < s.layers().size(); i++) {
                children.add(describe(s.layers().get(i), where + ".layers[" + i + "]", prefix + i + ".", arrays));
            }
        } else if (c == LipResidual.class) {
            LipResidual r = (LipResidual) layer;
            Parameter logit = r.logit();
            if (logit == null) {
                n.put("mixing", "fixed");
                n.put("t", r.t());
            } else {
                n.put("mixing", "learned");
                n.put("dtype", dtypeName(logit.value().dataType()));
                named.put(logit.name(), logit.value());
            }
            n.set("branch", describe(r.branch(), where + ".branch", prefix + "branch.", arrays));
        } else if (c == SpectralDense.class) {
            SpectralDense s = (SpectralDense) layer;
            affine(n, s.inputSize(), s.outputSize(), s.weight(), s.lipschitzFactor());
            n.put("bias", s.bias() != null);
            n.set("rko", rkoNode(s.rko()));
            named.putAll(parameterMap(s));
            named.put("u", s.powerVector());
            named.putAll(s.inferenceState());
        } else if (c == FrobeniusDense.class) {
            FrobeniusDense f = (FrobeniusDense) layer;
            affine(n, f.inputSize(), f.outputSize(), f.weight(), f.lipschitzFactor());
            n.put("disjoint_neurons", f.disjointNeurons());
            named.putAll(parameterMap(f));
            named.putAll(f.inferenceState());
        } else if (c == AolDense.class) {
            AolDense a = (AolDense) layer;
            affine(n, a.inputSize(), a.outputSize(), a.weight(), a.lipschitzFactor());
            named.putAll(parameterMap(a));
            named.putAll(a.inferenceState());
        } else if (c == Dense.class) {
            Dense d = (Dense) layer;
            affine(n, d.inputSize(), d.outputSize(), d.weight(), d.lipschitzFactor());
            n.put("bias", d.bias() != null);
            named.putAll(parameterMap(d));
        } else if (c == SllDense.class) {
            SllDense s = (SllDense) layer;
            INDArray v = s.weight().value();
            n.put("width", v.size(1));
            n.put("hidden", v.size(0));
            n.put("dtype", dtypeName(v.dataType()));
            named.putAll(parameterMap(s));
        } else if (c == Householder.class) {
            Householder h = (Householder) layer;
            n.put("channels", 2 * h.theta().value().length());
            n.put("dtype", dtypeName(h.theta().value().dataType()));
            named.putAll(parameterMap(h));
        } else if (c == GroupSort.class) {
            n.put("group_size", ((GroupSort) layer).groupSize());
        } else if (c != GroupSort2.class && c != FullSort.class && c != MaxMin.class && c != Flatten.class) {
            throw new IllegalArgumentException("cannot save " + where + ": layer type " + c.getName()
                    + " is not supported by the model format (supported: " + TYPES + ")");
        }
        if (!named.isEmpty()) {
            ObjectNode entries = n.putObject("arrays");
            for (Map.Entry<String, INDArray> e : named.entrySet()) {
                String entry = prefix + e.getKey() + ".npy";
                entries.put(e.getKey(), entry);
                arrays.put(entry, Npy.encode(Tensors.toNpy(e.getValue())));
            }
        }
        return n;
    }

    private static void affine(ObjectNode n, int in, int out, Parameter weight, double factor) {
        n.put("in", in);
        n.put("out", out);
        n.put("dtype", dtypeName(weight.value().dataType()));
        n.put("lipschitz_factor", factor);
    }

    private static Map<String, INDArray> parameterMap(Layer layer) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (Parameter p : layer.parameters()) {
            m.put(p.name(), p.value());
        }
        return m;
    }

    private static ObjectNode rkoNode(Rko rko) {
        ObjectNode n = JSON.createObjectNode();
        n.put("power_iterations", rko.power().iterations());
        n.put("power_tolerance", rko.power().tolerance());
        n.put("eps_spectral", rko.epsSpectral());
        Bjorck b = rko.bjorck();
        n.put("bjorck_beta", b.beta());
        n.put("bjorck_iterations", b.maxIterations());
        n.put("bjorck_tolerance", b.tolerance());
        n.put("gradient_mode", b.gradientMode().kind().name());
        n.put("gradient_mode_k", b.gradientMode().count());
        return n;
    }

    private static String dtypeName(DataType t) {
        return switch (t) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            default -> throw new IllegalArgumentException("only float32 and float64 models can be saved, got " + t);
        };
    }

    private static void write(Path zip, byte[] config, Map<String, byte[]> arrays) {
        AtomicWrite.write(zip, stream -> {
            ZipOutputStream out = new ZipOutputStream(stream);
            putEntry(out, CONFIG_ENTRY, config);
            for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
                putEntry(out, e.getKey(), e.getValue());
            }
            out.finish(); // completes the zip; the stream itself is closed by AtomicWrite
        });
    }

    /** A stored (uncompressed) entry, as numpy's {@code savez} writes them, with a fixed timestamp. */
    private static void putEntry(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ENTRY_TIME);
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
    }

    // --------------------------------------------------------------------------------------------------- loading

    /** Every entry's bytes, each checked against its CRC. */
    private static Map<String, byte[]> readEntries(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new UncheckedIOException(zip + ": no such file", new NoSuchFileException(zip.toString()));
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> all = file.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                byte[] bytes;
                try (InputStream in = file.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw new ZipException("entry " + e.getName() + " fails its CRC check (corrupt data)");
                }
                if (entries.put(e.getName(), bytes) != null) {
                    throw new ZipException("entry " + e.getName() + " appears twice");
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(zip + ": not a readable model archive (corrupt or truncated zip): "
                    + e.getMessage(), e);
        }
    }

    /** Builds layers from {@code model.json} and the entries, with errors naming the file and the place. */
    private static final class Reader {
        private final Path zip;
        private final Map<String, byte[]> entries;
        private final boolean certify;

        Reader(Path zip, Map<String, byte[]> entries, boolean certify) {
            this.zip = zip;
            this.entries = entries;
            this.certify = certify;
        }

        IllegalArgumentException bad(String where, String what) {
            return new IllegalArgumentException(zip + ": " + where + " " + what);
        }

        JsonNode field(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                throw bad(where, "has no field '" + name + "'");
            }
            return v;
        }

        String text(JsonNode n, String name, String where) {
            JsonNode v = field(n, name, where);
            if (!v.isTextual()) {
                throw bad(where, "field '" + name + "' must be a string, got " + v);
            }
            return v.textValue();
        }

        int integer(JsonNode n, String name, String where) {
            JsonNode v = field(n, name, where);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw bad(where, "field '" + name + "' must be an integer, got " + v);
            }
            return v.intValue();
        }

        double number(JsonNode n, String name, String where) {
            JsonNode v = field(n, name, where);
            if (!v.isNumber()) {
                throw bad(where, "field '" + name + "' must be a number, got " + v);
            }
            return v.doubleValue();
        }

        boolean bool(JsonNode n, String name, String where) {
            JsonNode v = field(n, name, where);
            if (!v.isBoolean()) {
                throw bad(where, "field '" + name + "' must be true or false, got " + v);
            }
            return v.booleanValue();
        }

        DataType dtype(JsonNode n, String where) {
            String t = text(n, "dtype", where);
            return switch (t) {
                case "float32" -> DataType.FLOAT;
                case "float64" -> DataType.DOUBLE;
                default -> throw bad(where, "has dtype '" + t + "'; expected float32 or float64");
            };
        }

        /** Runs a constructor or setter, turning its validation error into one naming the file and place. */
        <T> T build(String where, Supplier<T> constructor) {
            try {
                return constructor.get();
            } catch (IllegalArgumentException e) {
                throw bad(where, "has invalid settings: " + e.getMessage());
            }
        }

        Layer layer(JsonNode n, String where) {
            if (!n.isObject()) {
                throw bad(where, "must be a JSON object, got " + n);
            }
            String type = text(n, "type", where);
            String at = where + " (" + type + ")";
            Map<String, INDArray> live = new LinkedHashMap<>();
            Map<String, INDArray> state = Map.of();
            Consumer<Map<String, INDArray>> restoreState = m -> { };
            Runnable checkState = () -> { };
            Layer layer;
            switch (type) {
                case "Sequential" -> {
                    return sequential(n, where, at);
                }
                case "LipResidual" -> {
                    Layer branch = layer(field(n, "branch", at), where + ".branch");
                    String mixing = text(n, "mixing", at);
                    if (mixing.equals("fixed")) {
                        double t = number(n, "t", at);
                        layer = build(at, () -> LipResidual.fixed(branch, t));
                    } else if (mixing.equals("learned")) {
                        DataType dt = dtype(n, at);
                        LipResidual r = build(at, () -> LipResidual.learned(branch, 0.0, dt));
                        live.put(r.logit().name(), r.logit().value());
                        layer = r;
                    } else {
                        throw bad(at, "has mixing '" + mixing + "'; expected fixed or learned");
                    }
                }
                case "SpectralDense" -> {
                    int in = integer(n, "in", at);
                    int out = integer(n, "out", at);
                    boolean bias = bool(n, "bias", at);
                    DataType dt = dtype(n, at);
                    Rko rko = rko(field(n, "rko", at), at + ".rko");
                    SpectralDense s = build(at, () -> SpectralDense.builder(in, out).bias(bias).dataType(dt).rko(rko)
                            .build());
                    live.putAll(parameterMap(s));
                    live.put("u", s.powerVector());
                    state = s.inferenceState();
                    restoreState = s::restoreInferenceState;
                    checkState = s::checkInferenceState;
                    layer = s;
                }
                case "FrobeniusDense" -> {
                    int in = integer(n, "in", at);
                    int out = integer(n, "out", at);
                    boolean disjoint = bool(n, "disjoint_neurons", at);
                    DataType dt = dtype(n, at);
                    FrobeniusDense f = build(at, () -> new FrobeniusDense(in, out, disjoint, 0, dt));
                    live.putAll(parameterMap(f));
                    state = f.inferenceState();
                    restoreState = f::restoreInferenceState;
                    checkState = f::checkInferenceState;
                    layer = f;
                }
                case "AolDense" -> {
                    int in = integer(n, "in", at);
                    int out = integer(n, "out", at);
                    DataType dt = dtype(n, at);
                    AolDense a = build(at, () -> new AolDense(in, out, 0, dt));
                    live.putAll(parameterMap(a));
                    state = a.inferenceState();
                    restoreState = a::restoreInferenceState;
                    checkState = a::checkInferenceState;
                    layer = a;
                }
                case "Dense" -> {
                    int in = integer(n, "in", at);
                    int out = integer(n, "out", at);
                    boolean bias = bool(n, "bias", at);
                    DataType dt = dtype(n, at);
                    layer = build(at, () -> new Dense(Nd4j.zeros(dt, out, in), bias ? Nd4j.zeros(dt, out) : null));
                    live.putAll(parameterMap(layer));
                }
                case "SllDense" -> {
                    int width = integer(n, "width", at);
                    int hidden = integer(n, "hidden", at);
                    DataType dt = dtype(n, at);
                    layer = build(at, () -> new SllDense(width, hidden, 0, dt));
                    live.putAll(parameterMap(layer));
                }
                case "Householder" -> {
                    int channels = integer(n, "channels", at);
                    DataType dt = dtype(n, at);
                    layer = build(at, () -> new Householder(channels, dt));
                    live.putAll(parameterMap(layer));
                }
                case "GroupSort" -> {
                    int k = integer(n, "group_size", at);
                    layer = build(at, () -> new GroupSort(k));
                }
                case "GroupSort2" -> layer = new GroupSort2();
                case "FullSort" -> layer = new FullSort();
                case "MaxMin" -> layer = new MaxMin();
                case "Flatten" -> layer = new Flatten();
                default -> throw bad(where, "has unknown layer type '" + type + "' (known: " + TYPES + ")");
            }
            restore(layer, n, at, live, state, restoreState);
            if (certify) {
                try {
                    checkState.run();
                } catch (IllegalArgumentException e) {
                    throw bad(at, "has inconsistent arrays: " + e.getMessage());
                }
            }
            return layer;
        }

        private Sequential sequential(JsonNode n, String where, String at) {
            double k = number(n, "lipschitz_factor", at);
            JsonNode list = field(n, "layers", at);
            if (!list.isArray() || list.isEmpty()) {
                throw bad(at, "field 'layers' must be a non-empty array");
            }
            List<Layer> layers = new ArrayList<>();
            List<Double> factors = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Layer l = layer(list.get(i), where + ".layers[" + i + "]");
                layers.add(l);
                factors.add(l instanceof ScalableLayer s ? s.lipschitzFactor() : Double.NaN);
            }
            // withLipschitzFactor records k and spreads it over the layers; each layer then gets back its own saved
            // factor, which may have been changed after the Sequential was built
            Sequential s = build(at, () -> Sequential.withLipschitzFactor(k, layers));
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i) instanceof ScalableLayer sl) {
                    sl.setLipschitzFactor(factors.get(i));
                }
            }
            return s;
        }

        private Rko rko(JsonNode n, String at) {
            int powerIterations = integer(n, "power_iterations", at);
            double powerTolerance = number(n, "power_tolerance", at);
            double epsSpectral = number(n, "eps_spectral", at);
            double beta = number(n, "bjorck_beta", at);
            int bjorckIterations = integer(n, "bjorck_iterations", at);
            double bjorckTolerance = number(n, "bjorck_tolerance", at);
            String saved = text(n, "gradient_mode", at);
            // the names before the modes were named for what they keep
            String kind = saved.equals("DETACH_FIRST") ? "THROUGH_FIRST" : saved.equals("DETACH_LAST") ? "THROUGH_LAST"
                    : saved;
            int k = integer(n, "gradient_mode_k", at);
            GradientMode.Kind modeKind = Arrays.stream(GradientMode.Kind.values()).filter(m -> m.name().equals(kind))
                    .findFirst().orElseThrow(() -> bad(at, "has unknown gradient_mode '" + kind + "' (known: "
                            + Arrays.toString(GradientMode.Kind.values()) + ")"));
            return build(at, () -> new Rko(
                    PowerIteration.builder().iterations(powerIterations).tolerance(powerTolerance).build(),
                    epsSpectral,
                    Bjorck.builder().beta(beta).maxIterations(bjorckIterations).tolerance(bjorckTolerance)
                            .gradientMode(new GradientMode(modeKind, k)).build()));
        }

        /**
         * Copies the saved arrays into the new layer: {@code live} ones (parameters, {@code u}) by assignment, those
         * named in {@code state} (the inference state's shapes) through {@code restoreState}; then sets the
         * Lipschitz factor of a scalable layer.
         */
        private void restore(Layer layer, JsonNode n, String at, Map<String, INDArray> live,
                Map<String, INDArray> state, Consumer<Map<String, INDArray>> restoreState) {
            Set<String> expected = new LinkedHashSet<>(live.keySet());
            expected.addAll(state.keySet());
            JsonNode listed = n.get("arrays");
            Set<String> present = new LinkedHashSet<>();
            if (listed != null) {
                if (!listed.isObject()) {
                    throw bad(at, "field 'arrays' must be an object, got " + listed);
                }
                listed.fieldNames().forEachRemaining(present::add);
            }
            for (String role : present) {
                if (!expected.contains(role)) {
                    throw bad(at, "lists array '" + role + "', which the layer does not have (expected " + expected
                            + ")");
                }
            }
            Map<String, INDArray> loadedState = new LinkedHashMap<>();
            for (String role : expected) {
                if (!present.contains(role)) {
                    throw bad(at, "lists no array '" + role + "' (expected " + expected + ")");
                }
                INDArray template = live.containsKey(role) ? live.get(role) : state.get(role);
                INDArray a = array(text(listed, role, at + ".arrays"), role, at, template);
                if (live.containsKey(role)) {
                    live.get(role).assign(a);
                } else {
                    loadedState.put(role, a);
                }
            }
            if (layer instanceof ScalableLayer sl) {
                double k = number(n, "lipschitz_factor", at);
                build(at, () -> {
                    sl.setLipschitzFactor(k);
                    return sl;
                });
            }
            if (!loadedState.isEmpty()) {
                restoreState.accept(loadedState);
            }
        }

        /** The array in {@code entry}, checked against the shape and data type of {@code template}. */
        private INDArray array(String entry, String role, String at, INDArray template) {
            byte[] bytes = entries.get(entry);
            if (bytes == null) {
                throw bad(at, "needs entry " + entry + " (array '" + role + "'), which the archive does not hold");
            }
            INDArray a;
            try {
                NpyArray stored = Npy.read(new ByteArrayInputStream(bytes), bytes.length, "entry " + entry);
                if (!stored.dtype().equals("f4") && !stored.dtype().equals("f8")) {
                    throw bad(at, "array '" + role + "' (entry " + entry + ") holds NPY type " + stored.dtype()
                            + "; only f4 (float32) and f8 (float64) are model weights");
                }
                a = Tensors.fromNpy(stored);
            } catch (UncheckedIOException e) {
                throw bad(at, "array '" + role + "': " + e.getMessage());
            }
            if (!Arrays.equals(a.shape(), template.shape())) {
                throw bad(at, "array '" + role + "' (entry " + entry + ") has shape " + Arrays.toString(a.shape())
                        + " but the layer needs " + Arrays.toString(template.shape()));
            }
            if (a.dataType() != template.dataType()) {
                throw bad(at, "array '" + role + "' (entry " + entry + ") is " + a.dataType() + " but the layer is "
                        + template.dataType());
            }
            if (certify && Arrays.stream(Tensors.toDoubles(a)).anyMatch(v -> !Double.isFinite(v))) {
                throw bad(at, "array '" + role + "' (entry " + entry + ") holds NaN or infinite values");
            }
            return a;
        }
    }
}
