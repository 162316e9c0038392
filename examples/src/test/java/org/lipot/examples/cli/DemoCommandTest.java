package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoComputesExplainsAndDraws() throws IOException {
        CliRun run = CliRun.of("demo", "--out", dir.toString(), "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode j = run.json();
        // closed form: translating a measure by t moves it W_2^2 = |t|^2
        assertEquals(0.7 * 0.7 + 0.4 * 0.4, j.get("translation_w2_squared").asDouble(), 1e-12);
        assertTrue(Math.abs(j.get("exact_duality_gap").asDouble()) < 1e-10);
        assertTrue(j.get("exact_w1").asDouble() <= j.get("exact_w2").asDouble());
        assertTrue(j.get("exact_nonzeros").asInt() <= 499);
        // 10^6 samples: W_2^2 within a few 1/sqrt(n) of the Gaussian closed form 1.25
        assertEquals(1.25, j.get("line_w2_squared").asDouble(), 0.01);
        assertTrue(ImageIO.read(dir.resolve("exact_plan.png").toFile()).getWidth() > 0);
        assertTrue(ImageIO.read(dir.resolve("1d_plan.png").toFile()).getWidth() > 0);
        assertTrue(run.out().contains("W_2^2"), run.out());
        // the glyph's field: sound bound at most 1, an empirical slope below it, no ray crossing the zero level
        assertEquals(0, j.get("sdf_overshoots").asInt());
        assertTrue(j.get("sdf_lipschitz_bound").asDouble() <= 1.001);
        assertTrue(j.get("sdf_empirical_lipschitz").asDouble() <= j.get("sdf_lipschitz_bound").asDouble());
        assertTrue(j.get("sdf_sign_agreement").asDouble() > 0.95, j.toString());
        assertTrue(ImageIO.read(dir.resolve("sdf_glyph.png").toFile()).getWidth() > 0);
    }
}
