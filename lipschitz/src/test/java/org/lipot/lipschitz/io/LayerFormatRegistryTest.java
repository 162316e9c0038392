package org.lipot.lipschitz.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.transport.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayerFormatRegistryTest {

    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/io/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /**
     * The stored model {@code name}.zip (a Sequential of {@code layers} layers) loads, plainly and for certification,
     * with its stored output on its stored input bit for bit, and saves again to the same bytes.
     */
    private void assertStoredModel(String name, int layers) throws IOException {
        INDArray x = Tensors.fromNpy(Npy.read(resource(name + "_input.npy")));
        INDArray y = Tensors.fromNpy(Npy.read(resource(name + "_output.npy")));
        Path zip = resource(name + ".zip");
        for (Layer model : List.of(ModelFiles.load(zip), ModelFiles.loadForCertification(zip))) {
            assertEquals(layers, ((Sequential) model).layers().size());
            assertArrayEquals(Tensors.toDoubles(y), Tensors.toDoubles(model.forward(x, false)), 0);
        }
        Path again = dir.resolve("again.zip");
        ModelFiles.save(ModelFiles.load(zip), again);
        assertArrayEquals(Files.readAllBytes(zip), Files.readAllBytes(again));
    }

    @Test
    void aFileWrittenBeforeTheRegistryLoadsWithTheSameOutput() throws IOException {
        assertStoredModel("model_v1", 11);
    }

    @Test
    void aConvModelFileLoadsWithTheSameOutputAndSavesToTheSameBytes() throws IOException {
        assertStoredModel("model_conv_v1", 14);
    }

    /** A layer type the library does not know: {@code y = s * x} with a learned vector {@code s}, 1-Lipschitz if |s| <= 1. */
    static final class Scale implements Layer {
        final Parameter s;

        Scale(int width) {
            s = new Parameter("scale", Nd4j.zeros(DataType.DOUBLE, width));
        }

        @Override
        public INDArray forward(INDArray input, boolean training) {
            return input.mulRowVector(s.value());
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            return gradOutput.mulRowVector(s.value());
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(s);
        }

        @Override
        public double lipschitzBound() {
            return s.value().amaxNumber().doubleValue();
        }

        @Override
        public Layer export() {
            return this;
        }
    }

    private static final LayerFormat<Scale> SCALE = new LayerFormat<>() {
        @Override
        public String type() {
            return "TestScale";
        }

        @Override
        public Class<Scale> layerClass() {
            return Scale.class;
        }

        @Override
        public void write(Scale layer, LayerWriter out) {
            out.put("width", layer.s.value().length());
            out.array("scale", layer.s.value());
        }

        @Override
        public Layer read(LayerReader in) {
            int width = in.integer("width");
            if (width < 1) {
                throw in.bad("has width " + width);
            }
            Scale l = new Scale(width);
            in.array("scale", l.s.value());
            return l;
        }
    };

    @Test
    void aNewLayerTypeIsSavedByRegisteringItsFormat() {
        Scale scale = new Scale(4);
        scale.s.value().assign(Nd4j.createFromArray(0.5, -0.25, 1.0, 0.75));
        Sequential model = Sequential.of(SpectralDense.builder(3, 4).dataType(DataType.DOUBLE).seed(1).build(),
                scale, new GroupSort2());
        Path zip = dir.resolve("scale.zip");
        IllegalArgumentException before = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.save(model, zip));
        assertTrue(before.getMessage().contains("Scale") && before.getMessage().contains("register"),
                before.getMessage());
        ModelFiles.register(SCALE);
        assertTrue(ModelFiles.types().contains("TestScale"));
        ModelFiles.save(model, zip);
        Layer back = ModelFiles.load(zip);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3);
        assertArrayEquals(Tensors.toDoubles(model.forward(x, false)), Tensors.toDoubles(back.forward(x, false)), 0);
        assertArrayEquals(Tensors.toDoubles(scale.s.value()),
                Tensors.toDoubles(((Scale) ((Sequential) back).layers().get(1)).s.value()), 0);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.register(SCALE));
        assertTrue(twice.getMessage().contains("TestScale"), twice.getMessage());
    }
}
