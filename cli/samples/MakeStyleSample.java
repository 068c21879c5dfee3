import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Made style.png once: java cli/samples/MakeStyleSample.java cli/samples/style.png
 * A small, bold, few-colour pattern (a sunset over waves) so the PNG stays a few KB and the fake
 * server's palette, taken from the style image, is visibly warm.
 */
public class MakeStyleSample {
    public static void main(String[] args) throws Exception {
        int size = 256;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color[] sky = {new Color(0x2B1B4F), new Color(0x6A2C70), new Color(0xB83B5E), new Color(0xF08A5D), new Color(0xF9ED69)};
        int band = size / 2 / sky.length;
        for (int i = 0; i < sky.length; i++) {
            g.setColor(sky[i]);
            g.fillRect(0, i * band, size, band + 1);
        }
        g.setColor(new Color(0xFFF4C2));
        g.fillOval(size / 2 - 40, size / 2 - 40, 80, 80);
        g.setColor(new Color(0x08415C));
        g.fillRect(0, size / 2, size, size / 2);
        g.setStroke(new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Color[] waves = {new Color(0x1B98E0), new Color(0x3FC1C9), new Color(0xF5F5F5)};
        for (int row = 0; row < 6; row++) {
            g.setColor(waves[row % waves.length]);
            int y = size / 2 + 14 + row * 20;
            for (int x = -20; x < size; x += 40) {
                g.drawArc(x, y, 40, 16, 0, 180);
            }
        }
        g.dispose();
        ImageIO.write(img, "png", new File(args[0]));
    }
}
