package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.io.NpzWeights;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.Rko;
import org.lipot.lipschitz.testing.GradCheck;
import org.lipot.transport.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The peer's conv architecture, the Unflatten layer, and reading exported conv weights. */
class ConvArchitectureTest {

    @TempDir
    Path dir;

    @Test
    void thePeersConvNetworkHasItsShapeParametersAndBound() {
        Sequential net = Architectures.conv(new int[] {1, 28, 28}, 10, Rko.defaults(), 0, DataType.FLOAT);
        long params = 0;
        for (Parameter p : net.parameters()) {
            params += p.value().length();
        }
        assertEquals(870_634, params, "the peer's parameter count");
        assertArrayEquals(new int[] {10}, net.outputShape(new int[] {784}));
        double bound = net.lipschitzBound(new int[] {784});
        assertTrue(bound <= 1 + 1e-5, "bound " + bound);
        assertThrows(IllegalArgumentException.class,
                () -> Architectures.conv(new int[] {1, 30, 28}, 10, Rko.defaults(), 0, DataType.FLOAT));
    }

    @Test
    void theAocNetworkTrainsAStepAndStaysOneLipschitz() {
        Sequential net = Architectures.aoc(new int[] {1, 8, 8}, 10, Rko.defaults(), 0, DataType.FLOAT);
        assertArrayEquals(new int[] {10}, net.outputShape(new int[] {64}));
        assertEquals(4, net.layers().stream().filter(l -> l instanceof AocConv2d).count());
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 64);
        net.forward(x, true);
        net.backward(Nd4j.ones(DataType.FLOAT, 16, 10));
        for (Parameter p : net.parameters()) {
            p.value().subi(p.gradient().mul(0.01));
        }
        net.refreshWeights();
        double bound = net.lipschitzBound(new int[] {64});
        assertTrue(bound > 0.1 && bound <= 1 + 1e-5, "bound " + bound);
        assertThrows(IllegalArgumentException.class,
                () -> Architectures.aoc(new int[] {1, 10, 8}, 10, Rko.defaults(), 0, DataType.FLOAT));
    }

    @Test
    void unflattenIsAnIsometryWithAGradientAndAFormat() throws IOException {
        Unflatten u = new Unflatten(2, 3, 4);
        GradCheck.check(u, GradCheck.randn(1, 5, 24), 1e-6, 1e-6, 30, () -> { });
        assertArrayEquals(new int[] {2, 3, 4}, u.outputShape(new int[] {24}));
        assertThrows(IllegalArgumentException.class, () -> u.outputShape(new int[] {25}));
        assertThrows(IllegalArgumentException.class, () -> u.forward(GradCheck.randn(1, 5, 2, 12), false));
        Path zip = dir.resolve("u.zip");
        ModelFiles.save(Sequential.of(u, new Flatten()), zip);
        INDArray x = GradCheck.randn(2, 3, 24);
        assertArrayEquals(Tensors.toDoubles(x), Tensors.toDoubles(ModelFiles.load(zip).forward(x, false)), 0);
    }

    /** Writes {@code arrays} as numpy's savez does. */
    static void savez(Path npz, Map<String, INDArray> arrays) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz))) {
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(Npy.encode(Tensors.toNpy(e.getValue())));
                zip.closeEntry();
            }
        }
    }

    @Test
    void exportedConvWeightsReadBackAsThePlainNetwork() throws IOException {
        Sequential net = Architectures.conv(new int[] {1, 8, 8}, 10, Rko.defaults(), 3, DataType.DOUBLE);
        Sequential exported = (Sequential) net.export();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (int k = 0; k < exported.layers().size(); k++) {
            Layer l = exported.layers().get(k);
            if (!l.parameters().isEmpty()) {
                // the peer's keys: positions in its Sequential, which has no Unflatten
                arrays.put("l" + (k - 1) + "_weight", l.parameters().get(0).value());
                arrays.put("l" + (k - 1) + "_bias", l.parameters().get(1).value());
            }
        }
        Path npz = dir.resolve("conv.npz");
        savez(npz, arrays);
        Sequential read = NpzWeights.plainNetwork(
                Architectures.conv(new int[] {1, 8, 8}, 10, Rko.defaults(), 0, DataType.DOUBLE), npz, DataType.DOUBLE);
        INDArray x = GradCheck.randn(4, 6, 64);
        assertArrayEquals(Tensors.toDoubles(net.forward(x, false)), Tensors.toDoubles(read.forward(x, false)), 1e-12);
        assertTrue(read.layers().get(1) instanceof Conv2d);
        arrays.remove("l13_weight");
        arrays.remove("l13_bias");
        savez(npz, arrays);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> NpzWeights.plainNetwork(
                Architectures.conv(new int[] {1, 8, 8}, 10, Rko.defaults(), 0, DataType.DOUBLE), npz, DataType.DOUBLE));
        assertTrue(missing.getMessage().contains("5 weights"), missing.getMessage());
    }
}
