package org.lipot.lipschitz.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.lipschitz.data.Digits;
import org.lipot.lipschitz.data.TrainTest;
import org.lipot.lipschitz.layers.Architectures;
import org.lipot.lipschitz.loss.MulticlassHKR;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.Rko;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Short training runs of the dense architecture on the embedded digits. */
class TrainerDigitsTest {

    @TempDir
    Path dir;

    @Test
    void learnsDigitsWithACertifiedMargin() {
        TrainTest data = Digits.trainTest(0.2, 0);
        Sequential model = Architectures.dense(64, 10, Rko.defaults(), 0, DataType.FLOAT);
        TrainingHistory h = Trainer.builder().loss(MulticlassHKR.deelLip(50, 0.5)).learningRate(1e-3).batchSize(64)
                .epochs(8).seed(1).build().fit(model, data.train());
        System.out.println(h);
        INDArray out = model.forward(data.test().features(), false);
        long correct = Trainer.countCorrect(out, data.test(), range(data.test().size()));
        double acc = (double) correct / data.test().size();
        System.out.println("test acc " + acc + " seconds " + h.trainSeconds());
        assertTrue(acc > 0.9, "test accuracy " + acc);
        assertTrue(h.last().loss() < h.epochs().get(0).loss(), "the loss went down");
        h.writePng(dir.resolve("curves.png"));
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
