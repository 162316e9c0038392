import java.nio.file.Path;
import java.util.SplittableRandom;

import org.lipot.lipschitz.data.FashionMnist;
import org.lipot.lipschitz.data.MnistLayout;
import org.lipot.lipschitz.data.TrainTest;
import org.lipot.lipschitz.layers.Architectures;
import org.lipot.lipschitz.layers.ReparametrisedLayer;
import org.lipot.lipschitz.layers.SpectralConv2d;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.loss.MulticlassHKR;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.Rko;
import org.lipot.lipschitz.train.Batch;
import org.lipot.lipschitz.train.BatchSource;
import org.lipot.lipschitz.train.Callback;
import org.lipot.lipschitz.train.Trainer;
import org.lipot.transport.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * lipot's side of the step-by-step comparison with the PyTorch peer (see README.md): builds the {@code conv}
 * network (seed 0), writes its raw parameters and power-iteration vectors to DIR, then either writes the gradients of
 * the first batch of DIR/order.npy ({@code STEPS = 0}) or trains STEPS steps on that batch order and prints each
 * step's loss.
 */
public class Eq {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int steps = Integer.parseInt(args[1]);
        TrainTest d = MnistLayout.load(FashionMnist.DEFAULT_DIRECTORY, 10).limit(5120, 1000);
        Sequential net = Architectures.conv(d.train().imageShape(), 10, Rko.defaults(), 0, DataType.FLOAT);
        boolean load = args.length > 2 && args[2].equals("--load"); // the peer's weights (eq.py with INIT=peer)
        int k = 0;
        for (Layer l : net.layers()) {
            INDArray u = l instanceof SpectralConv2d c ? c.powerVector()
                    : l instanceof SpectralDense s ? s.powerVector() : null;
            if (u != null) {
                ReparametrisedLayer r = (ReparametrisedLayer) l;
                if (load) {
                    r.weight().value().assign(floats(dir.resolve("w" + k + ".npy")).reshape(r.weight().value().shape()));
                    r.bias().value().assign(floats(dir.resolve("b" + k + ".npy")));
                    u.assign(floats(dir.resolve("u" + k + ".npy")));
                } else {
                    Npy.write(dir.resolve("w" + k + ".npy"), doubles(r.weight().value()));
                    Npy.write(dir.resolve("b" + k + ".npy"), doubles(r.bias().value()));
                    Npy.write(dir.resolve("u" + k + ".npy"), doubles(u));
                }
                k++;
            }
        }
        double[] order = Npy.readVector(dir.resolve("order.npy"));
        BatchSource batches = new BatchSource() {
            public int batches() {
                return Math.max(1, steps);
            }

            public void beginEpoch(int epoch, SplittableRandom random) {
            }

            public Batch batch(int s) {
                int[] idx = new int[256];
                int[] labels = new int[256];
                for (int i = 0; i < 256; i++) {
                    idx[i] = (int) order[s * 256 + i];
                    labels[i] = d.train().labels()[idx[i]];
                }
                return new Batch(Nd4j.pullRows(d.train().features(), 1, idx), d.train().oneHot(idx, DataType.FLOAT),
                        labels);
            }
        };
        MulticlassHKR loss = MulticlassHKR.deelLip(100, 1.0);
        if (steps == 0) {
            Batch b = batches.batch(0);
            var ev = loss.evaluate(net.forward(b.inputs(), true), b.targets());
            net.backward(ev.gradient());
            int q = 0;
            for (Parameter p : net.parameters()) {
                Npy.write(dir.resolve("g" + q++ + ".npy"), doubles(p.gradient()));
            }
            System.out.println("step 1 loss " + ev.value());
            return;
        }
        Trainer.builder().loss(loss).learningRate(1e-3).epochs(1).callback(new Callback() {
            public void onStep(int epoch, int step, double batchLoss) {
                System.out.printf("step %d loss %.6f%n", step, batchLoss);
            }
        }).build().fit(net, batches);
        INDArray out = net.forward(d.test().features(), false);
        int correct = 0;
        for (int i = 0; i < d.test().size(); i++) {
            correct += out.getRow(i).argMax().getInt(0) == d.test().labels()[i] ? 1 : 0;
        }
        System.out.printf("test accuracy %.4f%n", correct / (double) d.test().size());
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).data().asDouble();
    }

    /** A vector written by eq.py, as float32 (flat; callers reshape). */
    private static INDArray floats(Path file) {
        return Nd4j.createFromArray(Npy.readVector(file)).castTo(DataType.FLOAT);
    }
}
