package org.lipot.lipschitz.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.ScalableLayer;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.transport.io.Npy;
import org.lipot.transport.io.NpyArray;
import org.lipot.transport.io.AtomicWrite;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * <p><b>Layer types</b> are a registry of {@link LayerFormat}s, one per type name: the built-in layers are registered
 * at start, and a new layer type is made savable with {@link #register}, without editing this class. Files written
 * before the registry existed read unchanged (the fields and entry names are the same; tested on a stored file).
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

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final Map<String, LayerFormat<?>> BY_TYPE = new ConcurrentHashMap<>();
    private static final Map<Class<?>, LayerFormat<?>> BY_CLASS = new ConcurrentHashMap<>();

    static {
        for (LayerFormat<?> f : BuiltInFormats.all()) {
            register(f);
        }
    }

    private ModelFiles() {
    }

    /**
     * Adds the format of a layer type to the registry, so that {@link #save} writes layers of exactly
     * {@link LayerFormat#layerClass()} with it and {@link #load} reads objects of type {@link LayerFormat#type()}
     * with it (in any container).
     *
     * @throws IllegalArgumentException if the type name or the class is registered already
     */
    public static synchronized void register(LayerFormat<?> format) {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        if (BY_TYPE.containsKey(format.type()) || BY_CLASS.containsKey(format.layerClass())) {
            throw new IllegalArgumentException("layer type '" + format.type() + "' (" + format.layerClass().getName()
                    + ") is registered already");
        }
        BY_TYPE.put(format.type(), format);
        BY_CLASS.put(format.layerClass(), format);
    }

    /** The registered type names, sorted. */
    public static List<String> types() {
        return BY_TYPE.keySet().stream().sorted().toList();
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
        Loading r = new Loading(zip, entries, certify);
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

    /** Writes child layers of a container (through {@link LayerWriter}), with their arrays' entry prefixes. */
    static final class Children {
        private final String where;
        private final String prefix;
        private final Map<String, byte[]> arrays;

        Children(String where, String prefix, Map<String, byte[]> arrays) {
            this.where = where;
            this.prefix = prefix;
            this.arrays = arrays;
        }

        ObjectNode describe(Layer child, String place, String childPrefix) {
            return ModelFiles.describe(child, where + place, prefix + childPrefix, arrays);
        }
    }

    @SuppressWarnings("unchecked")
    private static ObjectNode describe(Layer layer, String where, String prefix, Map<String, byte[]> arrays) {
        LayerFormat<Layer> format = (LayerFormat<Layer>) BY_CLASS.get(layer.getClass());
        if (format == null) {
            throw new IllegalArgumentException("cannot save " + where + ": layer type " + layer.getClass().getName()
                    + " is not supported by the model format (supported: " + types() + "; register a LayerFormat)");
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("type", format.type());
        Map<String, INDArray> named = new LinkedHashMap<>();
        format.write(layer, new LayerWriter(n, named, new Children(where, prefix, arrays)));
        if (layer instanceof ScalableLayer s && !n.has("lipschitz_factor")) {
            n.put("lipschitz_factor", s.lipschitzFactor());
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

    static String dtypeName(DataType t) {
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
    static final class Loading {
        private final Path zip;
        private final Map<String, byte[]> entries;
        private final boolean certify;

        Loading(Path zip, Map<String, byte[]> entries, boolean certify) {
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

        Layer layer(JsonNode n, String where) {
            if (!n.isObject()) {
                throw bad(where, "must be a JSON object, got " + n);
            }
            String type = text(n, "type", where);
            LayerFormat<?> format = BY_TYPE.get(type);
            if (format == null) {
                throw bad(where, "has unknown layer type '" + type + "' (known: " + types() + ")");
            }
            LayerReader in = LayerReader.of(this, n, where, type);
            Layer layer = format.read(in);
            restore(layer, n, in.at(), in.live, in.state, in.restoreState);
            if (certify) {
                try {
                    in.checkState.run();
                } catch (IllegalArgumentException e) {
                    throw bad(in.at(), "has inconsistent arrays: " + e.getMessage());
                }
            }
            return layer;
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
                try {
                    sl.setLipschitzFactor(k);
                } catch (IllegalArgumentException e) {
                    throw bad(at, "has invalid settings: " + e.getMessage());
                }
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
