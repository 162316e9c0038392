package org.lipot.lipschitz.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipot.lipschitz.certify.CertificateReport;
import org.lipot.lipschitz.certify.Certificates;
import org.lipot.lipschitz.certify.LipschitzScope;
import org.lipot.lipschitz.data.Dataset;
import org.lipot.lipschitz.data.Digits;
import org.lipot.lipschitz.data.TrainTest;
import org.lipot.lipschitz.layers.AolDense;
import org.lipot.lipschitz.layers.Architectures;
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
import org.lipot.lipschitz.loss.MulticlassHKR;
import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.param.PowerIteration;
import org.lipot.lipschitz.param.Rko;
import org.lipot.lipschitz.testing.Svd;
import org.lipot.lipschitz.train.Optimizer;
import org.lipot.lipschitz.train.Trainer;
import org.lipot.transport.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Every layer type, nested containers, a global Lipschitz factor and non-default Rko settings. Two training steps
     * before saving leave every cached effective weight one optimiser step behind the raw weights, as after real
     * training without a final refresh: the case where only a saved cache reproduces inference.
     */
    private static Sequential everyLayer(DataType type) {
        Rko custom = new Rko(PowerIteration.builder().iterations(3).tolerance(0).build(), 2e-3,
                Bjorck.builder().beta(0.4).maxIterations(9).tolerance(0).gradientMode(GradientMode.gradientThroughLast(3))
                        .build());
        Sequential inner = Sequential.of(Dense.orthogonal(10, 10, 5, type), new FullSort());
        return Sequential.withLipschitzFactor(1.5, List.of(
                new Flatten(),
                SpectralDense.builder(16, 12).seed(1).dataType(type).build(),
                new GroupSort2(),
                new FrobeniusDense(12, 12, true, 2, type),
                new GroupSort(3),
                new AolDense(12, 10, 3, type),
                new MaxMin(),
                new Householder(10, type),
                LipResidual.learned(new SllDense(10, 6, 4, type), 0.3, type),
                LipResidual.fixed(inner, 0.25),
                new FullSort(),
                new FrobeniusDense(10, 6, false, 6, type),
                SpectralDense.builder(6, 4).rko(custom).bias(false).seed(7).dataType(type).build()));
    }

    /** One SGD step on the loss {@code <G, f(x)>}, G fixed: deterministic, touches every parameter. */
    private static void trainStep(Layer model, INDArray x, INDArray g) {
        INDArray out = model.forward(x, true);
        for (Parameter p : model.parameters()) {
            p.zeroGradient();
        }
        model.backward(g.castTo(out.dataType()));
        Optimizer.sgd(0.0).step(model.parameters(), 0.05);
    }

    private static INDArray input(long seed, DataType type) {
        return Initializers.normal(8, 16, 1.0, seed, type).reshape(8, 1, 4, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void everyLayerTypeRoundTripsBitForBit(String typeName) throws IOException {
        DataType type = DataType.valueOf(typeName);
        Sequential model = everyLayer(type);
        INDArray g = Initializers.normal(8, 4, 1.0, 11, type);
        trainStep(model, input(1, type), g);
        trainStep(model, input(2, type), g);

        Path zip = dir.resolve("model.zip");
        ModelFiles.save(model, zip);
        Layer loaded = ModelFiles.load(zip);

        assertInstanceOf(Sequential.class, loaded);
        assertEquals(types(model), types(loaded), "same layer types in the same order");
        assertBitIdentical(model.parameters(), loaded.parameters());
        assertArrayEquals(bits(powerVectors(model)), bits(powerVectors(loaded)), "power-iteration vectors u");
        INDArray x = input(3, type);
        assertArrayEquals(bits(model.forward(x, false)), bits(loaded.forward(x, false)), "inference outputs");
        assertEquals(model.lipschitzBound(), loaded.lipschitzBound(), 0.0, "sound Lipschitz bound");
        assertEquals(1.5, ((Sequential) loaded).lipschitzFactor(), 0.0);

        // the saved model's inference differs from one recomputed from the raw weights: the cache had to be saved
        Sequential refreshed = (Sequential) ModelFiles.load(zip);
        refreshed.refreshWeights();
        assertFalse(Arrays.equals(bits(model.forward(x, false)), bits(refreshed.forward(x, false))));

        // saving the loaded model gives the same bytes
        Path again = dir.resolve("again.zip");
        ModelFiles.save(loaded, again);
        assertArrayEquals(Files.readAllBytes(zip), Files.readAllBytes(again), "save(load(f)) == f byte for byte");

        // training continues identically
        trainStep(model, input(4, type), g);
        trainStep(loaded, input(4, type), g);
        assertBitIdentical(model.parameters(), loaded.parameters());
        assertArrayEquals(bits(model.forward(x, false)), bits(loaded.forward(x, false)), "outputs after a step");
    }

    @Test
    void configNamesTypesHyperParametersAndEntries() throws IOException {
        Path zip = dir.resolve("m.zip");
        ModelFiles.save(everyLayer(DataType.FLOAT), zip);
        JsonNode root = JSON.readTree(entries(zip).get("model.json"));
        assertEquals("lipot-model", root.get("format").asText());
        assertEquals(1, root.get("version").asInt());
        JsonNode layers = root.get("model").get("layers");
        JsonNode last = layers.get(12);
        assertEquals("SpectralDense", last.get("type").asText());
        assertEquals("float32", last.get("dtype").asText());
        assertFalse(last.get("bias").asBoolean());
        assertEquals(Math.pow(1.5, 1.0 / 5), last.get("lipschitz_factor").asDouble(), 0.0);
        JsonNode rko = last.get("rko");
        assertEquals(3, rko.get("power_iterations").asInt());
        assertEquals(2e-3, rko.get("eps_spectral").asDouble(), 0.0);
        assertEquals(0.4, rko.get("bjorck_beta").asDouble(), 0.0);
        assertEquals(9, rko.get("bjorck_iterations").asInt());
        assertEquals("THROUGH_LAST", rko.get("gradient_mode").asText());
        assertEquals(3, rko.get("gradient_mode_k").asInt());
        assertEquals("12.u.npy", last.get("arrays").get("u").asText());
        assertEquals("12.effective_weight.npy", last.get("arrays").get("effective_weight").asText());
        assertEquals("9.branch.0.weight.npy",
                layers.get(9).get("branch").get("layers").get(0).get("arrays").get("weight").asText());
        assertEquals(0.25, layers.get(9).get("t").asDouble(), 0.0);
    }

    /** The dense architecture after a short real training run (the state the CLI saves). */
    @Test
    void trainedDenseArchitectureRoundTrips() {
        TrainTest data = Digits.trainTest(0.2, 0);
        Sequential model = Architectures.dense(64, 10, new int[] {64, 32}, Rko.defaults(), 0, DataType.FLOAT);
        Trainer.builder().loss(MulticlassHKR.deelLip(10, 0.5)).batchSize(64).epochs(1).seed(1).build()
                .fit(model, data.train().limit(512));
        Path zip = dir.resolve("dense.zip");
        ModelFiles.save(model, zip);
        Layer loaded = ModelFiles.load(zip);
        Dataset test = data.test();
        assertArrayEquals(bits(model.forward(test.features(), false)), bits(loaded.forward(test.features(), false)));
        assertBitIdentical(model.parameters(), loaded.parameters());
        assertEquals(model.lipschitzBound(), loaded.lipschitzBound(), 0.0);
    }

    @Test
    void savingReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path zip = dir.resolve("m.zip");
        Files.writeString(zip, "old content");
        ModelFiles.save(Sequential.of(new Flatten(), Dense.orthogonal(4, 2, 0, DataType.DOUBLE)), zip);
        assertInstanceOf(Sequential.class, ModelFiles.load(zip));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(zip), files.toList(), "only the model is left in the folder");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.save(Sequential.of(new Flatten(), new Unknown()), zip));
        assertTrue(e.getMessage().contains(Unknown.class.getName()) && e.getMessage().contains("model.layers[1]"),
                e.getMessage());
        assertInstanceOf(Sequential.class, ModelFiles.load(zip), "a failed save leaves the old file");
        UncheckedIOException io = assertThrows(UncheckedIOException.class,
                () -> ModelFiles.save(new Flatten(), dir.resolve("no/such/folder/m.zip")));
        assertTrue(io.getMessage().contains("no/such/folder/m.zip"), io.getMessage());
    }

    @Test
    void brokenFilesGiveClearErrors() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelFiles.save(everyLayer(DataType.FLOAT), good);
        byte[] bytes = Files.readAllBytes(good);

        Path missing = dir.resolve("missing.zip");
        assertError(UncheckedIOException.class, missing, "no such file");

        Path garbage = write("garbage.zip", "this is not a zip file at all".getBytes(StandardCharsets.UTF_8));
        assertError(UncheckedIOException.class, garbage, "corrupt or truncated zip");

        Path truncated = write("truncated.zip", Arrays.copyOf(bytes, bytes.length / 2));
        assertError(UncheckedIOException.class, truncated, "corrupt or truncated zip");

        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x40; // inside the data of an array

        assertError(UncheckedIOException.class, write("flipped.zip", flipped), "CRC");

        Map<String, byte[]> entries = entries(good);
        assertError(IllegalArgumentException.class, rewrite("nojson.zip", entries, m -> without(m, "model.json")),
                "no model.json");
        assertError(IllegalArgumentException.class, rewrite("badjson.zip", entries,
                m -> with(m, "model.json", "{\"format\": ".getBytes(StandardCharsets.UTF_8))), "not valid JSON");
        assertError(IllegalArgumentException.class, editJson("format.zip", entries,
                root -> root.put("format", "keras")), "format 'keras'");
        assertError(IllegalArgumentException.class, editJson("version.zip", entries,
                root -> root.put("version", 2)), "version 2");
        assertError(IllegalArgumentException.class, editJson("type.zip", entries,
                root -> ((ObjectNode) root.get("model").get("layers").get(4)).put("type", "Conv9")), "Conv9");
        assertError(IllegalArgumentException.class, editJson("field.zip", entries,
                root -> ((ObjectNode) root.get("model").get("layers").get(1).get("rko")).remove("bjorck_beta")),
                "model.layers[1] (SpectralDense).rko has no field 'bjorck_beta'");
        assertError(IllegalArgumentException.class, editJson("role.zip", entries,
                root -> ((ObjectNode) root.get("model").get("layers").get(1).get("arrays")).remove("u")),
                "lists no array 'u'");
        assertError(IllegalArgumentException.class, rewrite("entry.zip", entries, m -> without(m, "1.u.npy")),
                "1.u.npy");
        assertError(IllegalArgumentException.class, rewrite("shape.zip", entries, m -> with(m, "3.weight.npy",
                npy(Initializers.normal(12, 11, 1.0, 0, DataType.FLOAT)))), "shape [12, 11]");
        assertError(IllegalArgumentException.class, rewrite("dtype.zip", entries, m -> with(m, "3.weight.npy",
                npy(Initializers.normal(12, 12, 1.0, 0, DataType.DOUBLE)))), "DOUBLE");
        assertError(IllegalArgumentException.class, rewrite("npy.zip", entries, m -> with(m, "3.weight.npy",
                Arrays.copyOf(m.get("3.weight.npy"), 300))), "truncated");
        assertError(IllegalArgumentException.class, editJson("size.zip", entries,
                root -> ((ObjectNode) root.get("model").get("layers").get(1)).put("in", -3)), "in must be positive");
    }

    @Test
    void certificationLoadsConsistentFilesBitForBitAndRefusesInconsistentOnes() throws IOException {
        Sequential model = everyLayer(DataType.FLOAT);
        INDArray x = input(3, DataType.FLOAT);
        trainStep(model, x, Initializers.normal(8, 4, 1.0, 9, DataType.FLOAT));
        model.refreshWeights();
        Path good = dir.resolve("good.zip");
        ModelFiles.save(model, good);
        Layer loaded = ModelFiles.loadForCertification(good);
        int[] labels = {0, 1, 2, 3, 0, 1, 2, 3};
        CertificateReport a = Certificates.certify(model, x, labels, LipschitzScope.NETWORK, 0.0);
        CertificateReport b = Certificates.certify(loaded, x, labels, LipschitzScope.NETWORK, 0.0);
        assertEquals(Double.doubleToRawLongBits(a.lipschitzBound()), Double.doubleToRawLongBits(b.lipschitzBound()));
        assertArrayEquals(a.radii(), b.radii());

        Map<String, byte[]> entries = entries(good);
        INDArray aolWeight = array(entries.get("5.effective_weight.npy"), "aol");
        Path zeroScales = rewrite("scales.zip", entries, m -> with(m, "5.scale.npy",
                npy(array(m.get("5.scale.npy"), "scale").mul(0))));
        assertRefused(zeroScales, "model.layers[5] (AolDense)", "'scale'");
        Path big = rewrite("big.zip", entries, m -> with(m, "5.effective_weight.npy",
                npy(aolWeight.mul(100))));
        assertRefused(big, "model.layers[5] (AolDense)", "'effective_weight'");
        // loaded without the check, the bound still covers the tampered weight the forward pass uses
        double sigma = Svd.sigmaMax(aolWeight.mul(100));
        AolDense tampered = (AolDense) ((Sequential) ModelFiles.load(big)).layers().get(5);
        double bound = tampered.lipschitzBound();
        assertTrue(bound >= tampered.lipschitzFactor() * sigma && sigma > 50, "bound " + bound + " vs " + sigma);
        Path nudged = rewrite("nudged.zip", entries, m -> with(m, "1.effective_weight.npy", npy(
                array(m.get("1.effective_weight.npy"), "w").addi(1e-3))));
        assertRefused(nudged, "model.layers[1] (SpectralDense)", "'effective_weight'");
        Path frob = rewrite("frob.zip", entries, m -> with(m, "3.effective_weight.npy", npy(
                array(m.get("3.effective_weight.npy"), "w").mul(2))));
        assertRefused(frob, "model.layers[3] (FrobeniusDense)", "'effective_weight'");
        Path nan = rewrite("nan.zip", entries, m -> with(m, "7.theta.npy",
                npy(Nd4j.createFromArray(Float.NaN, 1f, 1f, 1f, 1f))));
        assertRefused(nan, "model.layers[7] (Householder)", "NaN");
    }

    private static void assertRefused(Path zip, String layer, String what) {
        ModelFiles.load(zip); // a plain load restores whatever the file holds
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.loadForCertification(zip));
        for (String s : List.of(zip.toString(), layer, what)) {
            assertTrue(e.getMessage().contains(s), "says '" + s + "': " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** numpy reads the arrays bit for bit, from an extracted .npy and from the zip opened as an .npz. */
    @Test
    void numpyReadsTheArrays() throws Exception {
        Assumptions.assumeTrue(pythonHasNumpy(), "/usr/bin/python3 with numpy is not available");
        Path zip = dir.resolve("m.zip");
        ModelFiles.save(everyLayer(DataType.FLOAT), zip);
        Path npy = dir.resolve("u.npy");
        Files.write(npy, entries(zip).get("1.u.npy"));
        String script = String.join("\n",
                "import hashlib, json, sys, numpy as np",
                "z = np.load(sys.argv[1])",
                "out = {k: [str(z[k].dtype), list(z[k].shape), hashlib.sha256(z[k].tobytes()).hexdigest()]",
                "       for k in z.files if k != 'model.json'}",
                "u = np.load(sys.argv[2])",
                "out['extracted'] = [str(u.dtype), list(u.shape), hashlib.sha256(u.tobytes()).hexdigest()]",
                "print(json.dumps(out))");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, zip.toString(), npy.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        JsonNode seen = JSON.readTree(output);

        SpectralDense first = (SpectralDense) ((Sequential) ModelFiles.load(zip)).layers().get(1);
        INDArray u = first.powerVector();
        JsonNode ext = seen.get("extracted");
        assertEquals("float32", ext.get(0).asText());
        assertEquals(12, ext.get(1).get(0).asInt());
        assertEquals(sha256(u), ext.get(2).asText());
        JsonNode w = seen.get("1.weight");
        assertEquals(2, w.get(1).size());
        assertEquals(12, w.get(1).get(0).asInt());
        assertEquals(16, w.get(1).get(1).asInt());
        assertEquals(sha256(first.weight().value()), w.get(2).asText());
        int arrays = 0;
        for (String name : entries(zip).keySet()) {
            arrays += name.endsWith(".npy") ? 1 : 0;
        }
        assertEquals(arrays + 1, seen.size(), "every array, plus the extracted one");
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** A layer the format does not know. */
    private static final class Unknown implements Layer {
        @Override
        public INDArray forward(INDArray input, boolean training) {
            return input;
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            return gradOutput;
        }

        @Override
        public double lipschitzBound() {
            return 1;
        }

        @Override
        public Layer export() {
            return this;
        }
    }

    private static void assertError(Class<? extends RuntimeException> type, Path zip, String what) {
        RuntimeException e = assertThrows(type, () -> ModelFiles.load(zip), zip.getFileName().toString());
        assertTrue(e.getMessage().contains(zip.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(what), "says '" + what + "': " + e.getMessage());
    }

    private static List<String> types(Layer l) {
        List<String> out = new ArrayList<>();
        out.add(l.getClass().getSimpleName());
        if (l instanceof Sequential s) {
            s.layers().forEach(c -> out.addAll(types(c)));
        } else if (l instanceof LipResidual r) {
            out.addAll(types(r.branch()));
        }
        return out;
    }

    private static List<INDArray> powerVectors(Layer l) {
        List<INDArray> out = new ArrayList<>();
        if (l instanceof Sequential s) {
            s.layers().forEach(c -> out.addAll(powerVectors(c)));
        } else if (l instanceof SpectralDense sd) {
            out.add(sd.powerVector());
        }
        return out;
    }

    private static void assertBitIdentical(List<Parameter> a, List<Parameter> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            assertEquals(a.get(i).value().dataType(), b.get(i).value().dataType(), a.get(i).toString());
            assertArrayEquals(a.get(i).value().shape(), b.get(i).value().shape(), a.get(i).toString());
            assertArrayEquals(bits(a.get(i).value()), bits(b.get(i).value()), a.get(i).toString());
        }
    }

    private static long[] bits(List<INDArray> arrays) {
        return arrays.stream().flatMapToLong(a -> Arrays.stream(bits(a))).toArray();
    }

    /** The exact bit patterns of the entries (float32 stays float32). */
    private static long[] bits(INDArray a) {
        INDArray c = a.dup('c');
        if (a.dataType() == DataType.FLOAT) {
            float[] f = c.data().asFloat();
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = Float.floatToRawIntBits(f[i]);
            }
            return out;
        }
        return Arrays.stream(c.data().asDouble()).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    /** The NPY bytes ModelFiles writes for {@code x}. */
    private static byte[] npy(INDArray x) {
        return Npy.encode(Tensors.toNpy(x));
    }

    /** The array NPY bytes hold. */
    private static INDArray array(byte[] bytes, String name) {
        return Tensors.fromNpy(Npy.read(new java.io.ByteArrayInputStream(bytes), bytes.length, name));
    }

    private static String sha256(INDArray a) throws Exception {
        byte[] npy = npy(a);
        int header = 10 + ((npy[8] & 0xff) | (npy[9] & 0xff) << 8);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(npy, header, npy.length - header);
        return HexFormat.of().formatHex(md.digest());
    }

    private static boolean pythonHasNumpy() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                m.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return m;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path rewrite(String name, Map<String, byte[]> entries, UnaryOperator<Map<String, byte[]>> edit)
            throws IOException {
        Path zip = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : edit.apply(new LinkedHashMap<>(entries)).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return zip;
    }

    private Path editJson(String name, Map<String, byte[]> entries, java.util.function.Consumer<ObjectNode> edit)
            throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(entries.get("model.json"));
        edit.accept(root);
        byte[] json = JSON.writeValueAsBytes(root);
        return rewrite(name, entries, m -> with(m, "model.json", json));
    }

    private static Map<String, byte[]> without(Map<String, byte[]> m, String key) {
        assertNotEquals(null, m.remove(key), key);
        return m;
    }

    private static Map<String, byte[]> with(Map<String, byte[]> m, String key, byte[] value) {
        m.put(key, value);
        return m;
    }
}
