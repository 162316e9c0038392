package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.layers.AolDense;
import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.transport.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CertifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainPrintsTheContractsJsonLines() throws Exception {
        Path curves = dir.resolve("curves.png");
        Path hist = dir.resolve("hist.png");
        CliRun run = CliRun.of("certify", "train", "--json", "--epochs", "2", "--batch-size", "64", "--limit-train",
                "320", "--limit-test", "200", "--alpha", "10", "--lr-decay", "0.5", "--curves", curves.toString(), "--histogram",
                hist.toString());
        assertEquals(0, run.status(), run.err());
        String[] lines = run.out().strip().split("\n");
        ObjectMapper mapper = new ObjectMapper();
        for (int e = 0; e < 2; e++) {
            JsonNode epoch = mapper.readTree(lines[lines.length - 3 + e]);
            assertEquals(e + 1, epoch.get("epoch").asInt());
            for (String key : new String[] {"seconds", "loss", "train_acc", "bjorck_iters_mean", "test_acc",
                    "test_certified_acc"}) {
                assertTrue(epoch.has(key), key);
            }
            assertEquals(4, epoch.get("bjorck_iters_mean").size(), "one mean per SpectralDense layer");
            assertEquals(1e-3 * Math.pow(0.5, e), epoch.get("lr").asDouble(), 1e-15, "--lr-decay per epoch");
        }
        JsonNode fin = run.json();
        for (String key : new String[] {"test_acc", "certified_acc", "certified_acc_at", "mean_certificate",
                "lipschitz_upper_bound", "empirical_lipschitz", "seconds_total"}) {
            assertTrue(fin.has(key), key);
        }
        double bound = fin.get("lipschitz_upper_bound").asDouble();
        assertTrue(bound >= 1 - 1e-3 && bound < 1 + 1e-3, "bound " + bound);
        assertTrue(fin.get("empirical_lipschitz").asDouble() <= bound);
        assertTrue(fin.get("certified_acc").asDouble() <= fin.get("test_acc").asDouble());
        assertEquals(fin.get("certified_acc").asDouble(), fin.get("certified_acc_at").get("36/255").asDouble(), 0);
        assertTrue(fin.get("test_acc").asDouble() > 0.3, "two short epochs already beat chance (0.1)");
        assertTrue(ImageIO.read(curves.toFile()).getWidth() > 0);
        assertTrue(ImageIO.read(hist.toFile()).getWidth() > 0);
    }

    @Test
    void evalCertifiesExportedWeights() throws IOException {
        Path npz = dir.resolve("w.npz");
        int[] sizes = {64, 512, 512, 256, 10};
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz))) {
            for (int l = 0; l < 4; l++) {
                INDArray w = Initializers.orthogonal(sizes[l + 1], sizes[l], l, DataType.DOUBLE);
                put(zip, "l" + (2 * l + 1) + "_weight", w.toDoubleMatrix());
                put(zip, "l" + (2 * l + 1) + "_bias", new double[][] {new double[sizes[l + 1]]});
            }
        }
        CliRun run = CliRun.of("certify", "eval", "--weights", npz.toString(), "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode fin = run.json();
        assertEquals(359, fin.get("test_size").asInt(), "a stratified 20% of the 1797 digits");
        double bound = fin.get("lipschitz_upper_bound").asDouble();
        assertTrue(bound >= 1 - 1e-6 && bound < 1 + 1e-6, "orthogonal weights: bound " + bound);
    }

    @Test
    void aConvNetTrainsOnTheDigitsAndItsSavedModelCertifiesTheSame() {
        Path zip = dir.resolve("conv.zip");
        CliRun train = CliRun.of("certify", "train", "--arch", "conv", "--json", "--epochs", "3", "--batch-size", "32", "--lr", "3e-3",
                "--limit-train", "640", "--limit-test", "200", "--alpha", "10", "--min-margin", "0.2", "--no-epoch-test", "--save",
                zip.toString());
        assertEquals(0, train.status(), train.err());
        JsonNode trained = train.json();
        double bound = trained.get("lipschitz_upper_bound").asDouble();
        assertTrue(bound > 0 && bound <= 1 + 1e-5, "the sound bound of the conv net: " + bound);
        assertTrue(trained.get("empirical_lipschitz").asDouble() <= bound);
        assertTrue(trained.get("test_acc").asDouble() > 0.3, "three short epochs beat chance (0.1): "
                + trained.get("test_acc"));
        CliRun eval = CliRun.of("certify", "eval", "--model", zip.toString(), "--limit-test", "200", "--json");
        assertEquals(0, eval.status(), eval.err());
        for (String key : new String[] {"test_acc", "certified_acc", "lipschitz_upper_bound"}) {
            assertEquals(trained.get(key).asDouble(), eval.json().get(key).asDouble(), 0.0, key);
        }
    }

    @Test
    void evalOfTheSavedModelReproducesTheTrainRun() {
        Path zip = dir.resolve("model.zip");
        CliRun train = CliRun.of("certify", "train", "--json", "--epochs", "1", "--limit-train", "128", "--limit-test",
                "100", "--save", zip.toString());
        assertEquals(0, train.status(), train.err());
        JsonNode trained = train.json();
        assertEquals(zip.toString(), trained.get("model_file").asText());

        CliRun eval = CliRun.of("certify", "eval", "--model", zip.toString(), "--limit-test", "100", "--json");
        assertEquals(0, eval.status(), eval.err());
        JsonNode fin = eval.json();
        assertEquals(100, fin.get("test_size").asInt());
        for (String key : new String[] {"test_acc", "certified_acc", "mean_certificate", "lipschitz_upper_bound"}) {
            assertEquals(trained.get(key).asDouble(), fin.get(key).asDouble(), 0.0, key);
        }
        assertEquals(trained.get("certified_acc_at"), fin.get("certified_acc_at"));
    }

    @Test
    void evalRefusesAModelWhoseSavedStateDisagreesWithItsWeights() {
        AolDense aol = new AolDense(64, 10, 1, DataType.FLOAT);
        Map<String, INDArray> state = aol.inferenceState();
        state.put("effective_weight", state.get("effective_weight").mul(100));
        state.put("scale", state.get("scale").mul(0));
        aol.restoreInferenceState(state);
        Path zip = dir.resolve("crafted.zip");
        ModelFiles.save(Sequential.of(aol), zip);
        CliRun run = CliRun.of("certify", "eval", "--model", zip.toString(), "--limit-test", "50");
        assertEquals(2, run.status(), run.err() + run.out());
        String err = run.err().strip();
        assertTrue(err.startsWith("lipot: error: " + zip) && err.contains("model.layers[0] (AolDense)"), err);
        assertFalse(err.contains("\n"), err);
    }

    @Test
    void badArgumentsGiveOneLineAndStatusTwo() {
        String[][] cases = {
                {"certify", "train", "--arch", "resnet"},
                {"certify", "eval", "--arch", "conv", "--model", dir.resolve("m.zip").toString()},
                {"certify", "eval", "--arch", "vgg", "--weights", dir.resolve("w.npz").toString()},
                {"certify", "train", "--data", dir.resolve("nowhere").toString()},
                {"certify", "train", "--detach-first", "4", "--detach-last", "4"},
                {"certify", "train", "--epochs", "0"},
                {"certify", "train", "--lr-decay", "0"},
                {"certify", "train", "--lr-decay", "1.5"},
                {"certify", "train", "--lr-decay", "NaN"},
                {"certify", "eval", "--weights", dir.resolve("missing.npz").toString()},
                {"certify", "eval", "--model", dir.resolve("missing.zip").toString()},
                {"certify", "eval", "--model", dir.resolve("m.zip").toString(), "--weights", dir.resolve("w.npz").toString()},
                {"certify", "eval"},
                {"certify", "train", "--save", dir.resolve("no/folder/m.zip").toString()},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.status(), String.join(" ", args) + "\n" + run.err() + run.out());
            String err = run.err().strip();
            assertTrue(err.startsWith("lipot: error:"), err);
            assertFalse(err.contains("\n"), err);
        }
    }

    private static void put(ZipOutputStream zip, String name, double[][] rows) throws IOException {
        Path tmp = Files.createTempFile("array", ".npy");
        if (rows.length == 1) {
            Npy.write(tmp, rows[0]);
        } else {
            Npy.write(tmp, rows);
        }
        byte[] bytes = Files.readAllBytes(tmp);
        ZipEntry entry = new ZipEntry(name + ".npy");
        entry.setMethod(ZipEntry.STORED); // as numpy's savez writes them
        entry.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
        Files.delete(tmp);
    }
}
