package dev.segmindkit.testkit.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.PriorityQueue;

/**
 * A small lossless WebP (VP8L) encoder, because the JDK writes no WebP and the fake must answer
 * real images in the format a request asks for (WebP is the models' default).
 *
 * <p>Deliberately the simplest valid stream: no transforms, no colour cache, one prefix-code
 * group, normal code-length codes. Pixels are literals, or backward references to the pixel on
 * the left (runs) and the row above, which keeps the flat shapes the fake draws small. The
 * bitstream follows the WebP lossless specification (RFC 9649).
 */
public final class WebpEncoder {
    private static final int NUM_LITERALS = 256;
    private static final int NUM_LENGTH_CODES = 24;
    private static final int NUM_DISTANCE_CODES = 40;
    private static final int MAX_LENGTH = 4096;
    private static final int MIN_MATCH = 3;
    /** Distance codes above this mean a plain linear distance of (code - 120) pixels. */
    private static final int PLANE_CODES = 120;
    private static final int MAX_CODE_LENGTH = 15;
    private static final int MAX_CODE_LENGTH_CODE_LENGTH = 7;
    private static final int MIN_PAYLOAD = 32;
    private static final int[] CODE_LENGTH_ORDER = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    private WebpEncoder() {
    }

    /**
     * Encodes an image as a lossless WebP file (RIFF container, one VP8L chunk).
     *
     * @throws IllegalArgumentException if a side is outside 1..16384
     */
    public static byte[] encode(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (width < 1 || height < 1 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("WebP sides are 1..16384 pixels, got " + width + "x" + height);
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        boolean alpha = false;
        for (int p : argb) {
            if ((p >>> 24) != 0xFF) {
                alpha = true;
                break;
            }
        }

        // Tokens: a literal is the pixel itself; a copy packs (length << 16 | distance code) with the top bit set.
        int[] tokens = new int[argb.length];
        int[] copyDistances = new int[argb.length];
        int count = 0;
        int[] green = new int[NUM_LITERALS + NUM_LENGTH_CODES];
        int[] red = new int[NUM_LITERALS];
        int[] blue = new int[NUM_LITERALS];
        int[] alphas = new int[NUM_LITERALS];
        int[] distance = new int[NUM_DISTANCE_CODES];
        int i = 0;
        while (i < argb.length) {
            int runLength = i >= 1 ? match(argb, i, 1) : 0;
            int aboveLength = i >= width ? match(argb, i, width) : 0;
            int length = Math.max(runLength, aboveLength);
            if (length >= MIN_MATCH) {
                int dist = runLength >= aboveLength ? 1 : width;
                int distCode = dist + PLANE_CODES;
                tokens[count] = length;
                copyDistances[count] = distCode;
                count++;
                green[NUM_LITERALS + prefix(length)]++;
                distance[prefix(distCode)]++;
                i += length;
            } else {
                int p = argb[i];
                tokens[count] = p;
                copyDistances[count] = 0;
                count++;
                green[(p >>> 8) & 0xFF]++;
                red[(p >>> 16) & 0xFF]++;
                blue[p & 0xFF]++;
                alphas[p >>> 24]++;
                i++;
            }
        }

        BitWriter out = new BitWriter(argb.length / 2 + 1024);
        out.write(0x2F, 8);
        out.write(width - 1, 14);
        out.write(height - 1, 14);
        out.write(alpha ? 1 : 0, 1);
        out.write(0, 3);
        out.write(0, 1); // no transform
        out.write(0, 1); // no colour cache
        out.write(0, 1); // no meta prefix codes: one group for the whole image
        PrefixCode greenCode = PrefixCode.write(out, green);
        PrefixCode redCode = PrefixCode.write(out, red);
        PrefixCode blueCode = PrefixCode.write(out, blue);
        PrefixCode alphaCode = PrefixCode.write(out, alphas);
        PrefixCode distanceCode = PrefixCode.write(out, distance);

        for (int t = 0; t < count; t++) {
            if (copyDistances[t] == 0) {
                int p = tokens[t];
                greenCode.put(out, (p >>> 8) & 0xFF);
                redCode.put(out, (p >>> 16) & 0xFF);
                blueCode.put(out, p & 0xFF);
                alphaCode.put(out, p >>> 24);
            } else {
                int length = tokens[t];
                greenCode.put(out, NUM_LITERALS + prefix(length));
                writeExtra(out, length);
                int distCode = copyDistances[t];
                distanceCode.put(out, prefix(distCode));
                writeExtra(out, distCode);
            }
        }
        byte[] vp8l = out.toByteArray();
        if (vp8l.length < MIN_PAYLOAD) {
            // Tiny images need only a few bytes, but decoders that read ahead a machine word at
            // a time (TwelveMonkeys does) stop with an EOF on them. Trailing zero bits are ignored.
            vp8l = java.util.Arrays.copyOf(vp8l, MIN_PAYLOAD);
        }

        ByteArrayOutputStream file = new ByteArrayOutputStream(vp8l.length + 21);
        int padded = vp8l.length + (vp8l.length & 1);
        file.writeBytes(new byte[] {'R', 'I', 'F', 'F'});
        le32(file, 4 + 8 + padded);
        file.writeBytes(new byte[] {'W', 'E', 'B', 'P', 'V', 'P', '8', 'L'});
        le32(file, vp8l.length);
        file.writeBytes(vp8l);
        if ((vp8l.length & 1) != 0) {
            file.write(0);
        }
        return file.toByteArray();
    }

    private static int match(int[] px, int at, int dist) {
        int limit = Math.min(MAX_LENGTH, px.length - at);
        int k = 0;
        while (k < limit && px[at + k] == px[at + k - dist]) {
            k++;
        }
        return k;
    }

    /** The prefix symbol of a length or distance code (value >= 1), as VP8L codes them with extra bits. */
    static int prefix(int value) {
        int x = value - 1;
        if (x < 4) {
            return x;
        }
        int high = 31 - Integer.numberOfLeadingZeros(x);
        return 2 * high + ((x >>> (high - 1)) & 1);
    }

    private static void writeExtra(BitWriter out, int value) {
        int x = value - 1;
        if (x < 4) {
            return;
        }
        int high = 31 - Integer.numberOfLeadingZeros(x);
        int bits = high - 1;
        out.write(x & ((1 << bits) - 1), bits);
    }

    private static void le32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** One prefix code: how it is written into the header, and its codes for the symbols. */
    static final class PrefixCode {
        private final int[] codes;
        private final int[] lengths;

        private PrefixCode(int[] codes, int[] lengths) {
            this.codes = codes;
            this.lengths = lengths;
        }

        void put(BitWriter out, int symbol) {
            if (lengths[symbol] > 0) {
                out.write(codes[symbol], lengths[symbol]);
            }
        }

        static PrefixCode write(BitWriter out, int[] histogram) {
            int used = 0;
            int only = 0;
            for (int s = 0; s < histogram.length; s++) {
                if (histogram[s] > 0) {
                    used++;
                    only = s;
                }
            }
            if (used <= 1 && only < NUM_LITERALS) {
                // A "simple" code with one symbol costs no bits per use: the common case of opaque alpha.
                out.write(1, 1);
                out.write(0, 1);
                if (only <= 1) {
                    out.write(0, 1);
                    out.write(only, 1);
                } else {
                    out.write(1, 1);
                    out.write(only, 8);
                }
                return new PrefixCode(new int[histogram.length], new int[histogram.length]);
            }
            int[] freq = histogram.clone();
            if (used == 1) {
                // A normal code needs two symbols to be complete; the extra one is never written.
                freq[only == 0 ? 1 : 0] = 1;
            }
            int[] lengths = lengths(freq, MAX_CODE_LENGTH);
            int[] codes = canonical(lengths);

            int[] clFreq = new int[19];
            for (int len : lengths) {
                clFreq[len]++;
            }
            int clUsed = 0;
            int clOnly = 0;
            for (int s = 0; s < clFreq.length; s++) {
                if (clFreq[s] > 0) {
                    clUsed++;
                    clOnly = s;
                }
            }
            if (clUsed == 1) {
                clFreq[clOnly == 0 ? 1 : 0] = 1;
            }
            int[] clLengths = lengths(clFreq, MAX_CODE_LENGTH_CODE_LENGTH);
            int[] clCodes = canonical(clLengths);
            int count = 4;
            for (int k = 0; k < CODE_LENGTH_ORDER.length; k++) {
                if (clLengths[CODE_LENGTH_ORDER[k]] != 0) {
                    count = Math.max(count, k + 1);
                }
            }
            out.write(0, 1); // normal code
            out.write(count - 4, 4);
            for (int k = 0; k < count; k++) {
                out.write(clLengths[CODE_LENGTH_ORDER[k]], 3);
            }
            out.write(0, 1); // every symbol's length follows: no max_symbol
            for (int len : lengths) {
                out.write(clCodes[len], clLengths[len]);
            }
            return new PrefixCode(codes, lengths);
        }
    }

    /**
     * Huffman code lengths for the frequencies, at most {@code limit} long. When the tree is too
     * deep the frequencies are flattened and the tree rebuilt, which always ends (equal
     * frequencies give a balanced tree) and keeps the code complete.
     */
    static int[] lengths(int[] frequencies, int limit) {
        long[] freq = new long[frequencies.length];
        for (int s = 0; s < freq.length; s++) {
            freq[s] = frequencies[s];
        }
        while (true) {
            int[] lengths = huffman(freq);
            int max = 0;
            for (int len : lengths) {
                max = Math.max(max, len);
            }
            if (max <= limit) {
                return lengths;
            }
            for (int s = 0; s < freq.length; s++) {
                if (freq[s] > 0) {
                    freq[s] = Math.max(1, freq[s] >> 1);
                }
            }
        }
    }

    private static int[] huffman(long[] freq) {
        int n = freq.length;
        int[] lengths = new int[n];
        // Nodes 0..n-1 are leaves, n.. are internal; ties break on the node index, so output is deterministic.
        long[] weight = new long[2 * n];
        int[] parent = new int[2 * n];
        PriorityQueue<Integer> queue = new PriorityQueue<>((a, b) -> weight[a] != weight[b] ? Long.compare(weight[a], weight[b]) : Integer.compare(a, b));
        for (int s = 0; s < n; s++) {
            if (freq[s] > 0) {
                weight[s] = freq[s];
                queue.add(s);
            }
        }
        if (queue.size() < 2) {
            throw new IllegalStateException("a normal prefix code needs two symbols");
        }
        int next = n;
        while (queue.size() > 1) {
            int a = queue.poll();
            int b = queue.poll();
            weight[next] = weight[a] + weight[b];
            parent[a] = next;
            parent[b] = next;
            queue.add(next);
            next++;
        }
        int root = next - 1;
        for (int s = 0; s < n; s++) {
            if (freq[s] > 0) {
                int depth = 0;
                for (int node = s; node != root; node = parent[node]) {
                    depth++;
                }
                lengths[s] = depth;
            }
        }
        return lengths;
    }

    /**
     * Canonical codes for the lengths (shorter codes first, then by symbol), bit-reversed because
     * VP8L reads a code's first bit from the lowest bit of the stream.
     */
    static int[] canonical(int[] lengths) {
        int max = 0;
        for (int len : lengths) {
            max = Math.max(max, len);
        }
        int[] count = new int[max + 2];
        for (int len : lengths) {
            if (len > 0) {
                count[len]++;
            }
        }
        int[] next = new int[max + 2];
        int code = 0;
        for (int bits = 1; bits <= max; bits++) {
            code = (code + count[bits - 1]) << 1;
            next[bits] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            if (len > 0) {
                codes[s] = Integer.reverse(next[len]++) >>> (32 - len);
            }
        }
        return codes;
    }

    /** Packs bits from the lowest up, as VP8L reads them. */
    static final class BitWriter {
        private byte[] buffer;
        private int size;
        private long bits;
        private int used;

        BitWriter(int capacity) {
            buffer = new byte[Math.max(16, capacity)];
        }

        void write(int value, int count) {
            if (count == 0) {
                return;
            }
            bits |= ((long) value & ((1L << count) - 1)) << used;
            used += count;
            while (used >= 8) {
                if (size == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                buffer[size++] = (byte) bits;
                bits >>>= 8;
                used -= 8;
            }
        }

        byte[] toByteArray() {
            if (used > 0) {
                write(0, 8 - used);
            }
            return java.util.Arrays.copyOf(buffer, size);
        }
    }
}
