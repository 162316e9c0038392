package org.lipot.lipschitz.io;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.lipot.transport.io.AtomicWrite;

/** Writes XChart charts to a PNG file, side by side, atomically (temporary file, then move). */
public final class Png {

    private Png() {
    }

    /**
     * Draws the charts left to right into one PNG.
     *
     * @throws IllegalArgumentException if no chart is given
     * @throws UncheckedIOException     naming the file if it cannot be written
     */
    public static void write(Path file, Chart<?, ?>... charts) {
        if (charts.length == 0) {
            throw new IllegalArgumentException("charts must not be empty");
        }
        BufferedImage[] images = new BufferedImage[charts.length];
        int width = 0;
        int height = 0;
        for (int k = 0; k < charts.length; k++) {
            images[k] = BitmapEncoder.getBufferedImage(charts[k]);
            width += images[k].getWidth();
            height = Math.max(height, images[k].getHeight());
        }
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage image : images) {
            g.drawImage(image, x, 0, null);
            x += image.getWidth();
        }
        g.dispose();
        write(file, all);
    }

    /**
     * Writes {@code image} as a PNG.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static void write(Path file, BufferedImage image) {
        AtomicWrite.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
