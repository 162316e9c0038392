package org.lipot.lipschitz.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.lipschitz.certify.CertificateReport;
import org.lipot.lipschitz.certify.Certificates;
import org.lipot.lipschitz.certify.LipschitzScope;
import org.lipot.lipschitz.data.Dataset;
import org.lipot.lipschitz.data.FashionMnist;
import org.lipot.lipschitz.data.MnistLayout;
import org.lipot.lipschitz.layers.Architectures;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.Rko;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The PyTorch peer's exported dense network, loaded into lipot, must reproduce the peer's Fashion-MNIST figures:
 * this pins the forward semantics (weight layout, flatten order, GroupSort pairing, certificate formula).
 */
class PeerWeightsInteropTest {

    @TempDir
    Path dir;

    static Path peerWeights() {
        try {
            return Path.of(PeerWeightsInteropTest.class.getResource("/interop/dense_a100_m1.0_full.npz").toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void reproducesThePeersAccuracyAndCertifiedAccuracy() {
        assumeTrue(MnistLayout.isPresent(FashionMnist.DEFAULT_DIRECTORY),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        Sequential model = NpzWeights.denseNetwork(peerWeights(), DataType.FLOAT);
        Dataset test = FashionMnist.load().test();
        INDArray out = model.forward(test.features(), false);
        double bound = model.lipschitzBound();
        assertTrue(bound >= 1 && bound < 1 + 1e-4, "sound bound of an orthonormalised network: " + bound);
        CertificateReport r = Certificates.evaluate(out, test.labels(), bound, LipschitzScope.NETWORK, 36 / 255.0);
        assertEquals(0.8593, r.accuracy(), 0.0005, "test accuracy");
        assertEquals(0.8130, r.certifiedAccuracy()[0], 0.0005, "certified accuracy at 36/255");
    }

    @Test
    void assignsIntoAGivenArchitecture() {
        Sequential plain = NpzWeights.denseNetwork(peerWeights(), DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 784);
        INDArray expected = plain.forward(x, false);

        Sequential exported = Architectures.dense(784, 10, Rko.defaults(), 5, DataType.FLOAT).export();
        NpzWeights.assign(exported, peerWeights());
        assertEquals(expected, exported.forward(x, false), "plain layers take the weights as they are");

        Sequential trainable = Architectures.dense(784, 10, Rko.defaults(), 5, DataType.FLOAT);
        NpzWeights.assign(trainable, peerWeights());
        INDArray out = trainable.forward(x, false);
        double diff = out.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(diff < 1e-4, "orthonormal weights are a fixed point of the reparametrisation: " + diff);

        Sequential tooSmall = Architectures.dense(784, 10, new int[] {512}, Rko.defaults(), 0, DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpzWeights.assign(tooSmall, peerWeights()));
        assertTrue(e.getMessage().contains("4 weight matrices"), e.getMessage());
        Sequential otherInput = Architectures.dense(64, 10, Rko.defaults(), 0, DataType.FLOAT);
        e = assertThrows(IllegalArgumentException.class, () -> NpzWeights.assign(otherInput, peerWeights()));
        assertTrue(e.getMessage().contains("l1_weight"), e.getMessage());
    }

    @Test
    void layoutAndShapesAreChecked() throws IOException {
        Sequential model = NpzWeights.denseNetwork(peerWeights(), DataType.DOUBLE);
        assertEquals(8, model.layers().size(), "Flatten + 4 Dense + 3 GroupSort2");
        Path garbage = dir.resolve("garbage.npz");
        Files.writeString(garbage, "not a zip");
        assertThrows(UncheckedIOException.class, () -> NpzWeights.denseNetwork(garbage, DataType.FLOAT));
        assertThrows(UncheckedIOException.class, () -> NpzWeights.denseNetwork(dir.resolve("missing.npz"),
                DataType.FLOAT));
    }
}
