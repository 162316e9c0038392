package org.lipot.lipschitz.sdf;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PLY (Stanford polygon format), ASCII or binary of either byte order. The header lists elements with their counts
 * and properties; the {@code vertex} element must have {@code x}, {@code y}, {@code z} properties (any numeric type),
 * and the {@code face} element a list property {@code vertex_indices} (or {@code vertex_index}) of 0-based indices.
 * Other properties and elements are read past and ignored, and header lines other than {@code format},
 * {@code element}, {@code property} and {@code end_header} are comments. A vertex-only file is a point cloud, not a
 * mesh, and is refused by {@link #read} but read by {@link #readPoints}.
 */
final class PlyFormat {

    private PlyFormat() {
    }

    /** A scalar type of the format, by its size in bytes and kind. */
    private enum Type {
        INT8(1), UINT8(1), INT16(2), UINT16(2), INT32(4), UINT32(4), FLOAT32(4), FLOAT64(8);

        final int size;

        Type(int size) {
            this.size = size;
        }

        static Type of(String name, TextLines in) {
            return switch (name) {
                case "char", "int8" -> INT8;
                case "uchar", "uint8" -> UINT8;
                case "short", "int16" -> INT16;
                case "ushort", "uint16" -> UINT16;
                case "int", "int32" -> INT32;
                case "uint", "uint32" -> UINT32;
                case "float", "float32" -> FLOAT32;
                case "double", "float64" -> FLOAT64;
                default -> throw in.error("unknown property type '" + name + "'");
            };
        }

        double read(ByteBuffer b) {
            return switch (this) {
                case INT8 -> b.get();
                case UINT8 -> b.get() & 0xff;
                case INT16 -> b.getShort();
                case UINT16 -> b.getShort() & 0xffff;
                case INT32 -> b.getInt();
                case UINT32 -> b.getInt() & 0xffffffffL;
                case FLOAT32 -> b.getFloat();
                case FLOAT64 -> b.getDouble();
            };
        }
    }

    /** A property: a scalar, or a list with the type of its count ({@code count != null}). */
    private record Property(String name, Type type, Type count) {
    }

    private record Element(String name, long count, List<Property> properties, long headerLine) {

        /** The fewest bytes a record can take: lists as their count plus, for faces, three items. */
        long minBytes(boolean binary) {
            long s = 0;
            for (Property p : properties) {
                if (binary) {
                    s += p.count == null ? p.type.size : p.count.size + (name.equals("face") ? 3L * p.type.size : 0);
                } else {
                    s += 2;
                }
            }
            return Math.max(s, 1);
        }
    }

    /** What a PLY file holds: vertices, their normals if it has {@code nx, ny, nz}, and triangles if it has faces. */
    private record Parsed(MeshFiles.Doubles vertices, MeshFiles.Doubles normals, MeshFiles.Ints triangles,
                          boolean faces) {
    }

    /** A mesh: the file must have a face element. */
    static TriangleMesh read(Path file, byte[] bytes) {
        Parsed p = parse(file, bytes);
        if (!p.faces()) {
            throw MeshFiles.corrupt(file, 0, "the header has no face element with a vertex_indices list: a point"
                    + " cloud, not a mesh");
        }
        return MeshFiles.mesh(file, p.vertices(), p.triangles());
    }

    /** A point cloud: the vertices, with normals if the file has them (faces are ignored). */
    static PointCloudFiles.Samples readPoints(Path file, byte[] bytes) {
        Parsed p = parse(file, bytes);
        double[] v = p.vertices().toArray();
        if (v.length == 0) {
            throw MeshFiles.corrupt(file, 0, "no vertex in the file");
        }
        double[] nrm = p.normals() == null ? null : p.normals().toArray();
        double[][] points = new double[v.length / 3][];
        double[][] normals = nrm == null ? null : new double[v.length / 3][];
        for (int i = 0; i < points.length; i++) {
            points[i] = java.util.Arrays.copyOfRange(v, 3 * i, 3 * i + 3);
            if (normals != null) {
                normals[i] = java.util.Arrays.copyOfRange(nrm, 3 * i, 3 * i + 3);
            }
        }
        return new PointCloudFiles.Samples(points, normals);
    }

    private static Parsed parse(Path file, byte[] bytes) {
        TextLines in = new TextLines(file, bytes, 0, 1, false);
        if (!in.next() || !in.tokens()[0].equals("ply")) {
            throw MeshFiles.corrupt(file, in.line(), "not a PLY file: it does not start with 'ply'");
        }
        String format = null;
        List<Element> elements = new ArrayList<>();
        while (true) {
            if (!in.next()) {
                throw in.error("the header has no 'end_header'");
            }
            String[] t = in.tokens();
            switch (t[0]) {
                case "format" -> {
                    if (t.length < 2) {
                        throw in.error("'format' without a format");
                    }
                    format = t[1];
                    if (!format.equals("ascii") && !format.equals("binary_little_endian")
                            && !format.equals("binary_big_endian")) {
                        throw in.error("unknown format '" + format + "'");
                    }
                }
                case "element" -> {
                    if (t.length < 3) {
                        throw in.error("'element' needs a name and a count");
                    }
                    elements.add(new Element(t[1], in.count(2, "count of element " + t[1]), new ArrayList<>(),
                            in.line()));
                }
                case "property" -> {
                    if (elements.isEmpty()) {
                        throw in.error("'property' before any 'element'");
                    }
                    List<Property> ps = elements.get(elements.size() - 1).properties();
                    if (t.length >= 5 && t[1].equals("list")) {
                        ps.add(new Property(t[4], Type.of(t[3], in), Type.of(t[2], in)));
                    } else if (t.length >= 3 && !t[1].equals("list")) {
                        ps.add(new Property(t[2], Type.of(t[1], in), null));
                    } else {
                        throw in.error("malformed property line");
                    }
                }
                case "comment", "obj_info" -> {
                }
                default -> {
                    // another line, as some exporters write (Blender 2.47: "Created by Blender3D 247 - ..."): a
                    // comment; the format, elements and properties are still checked
                }
                case "end_header" -> {
                    if (format == null) {
                        throw in.error("the header has no 'format' line");
                    }
                    return format.equals("ascii") ? ascii(file, bytes, in, elements)
                            : binary(file, bytes, in, elements, format.equals("binary_little_endian")
                            ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                }
            }
        }
    }

    /**
     * Where the coordinates ({@code slots[0..2]}), the normals ({@code slots[3..5]}, -1 when absent) and the face
     * indices ({@code faceList}, -1 when there is no face element) sit in their elements.
     */
    private record Layout(int[] slots, int faceList) {

        static final String NAMES = "x y z nx ny nz";

        static Layout of(List<Element> elements, TextLines in) {
            int[] slots = {-1, -1, -1, -1, -1, -1};
            String[] names = NAMES.split(" ");
            int faceList = -1;
            for (Element e : elements) {
                List<Property> ps = e.properties();
                for (int k = 0; k < ps.size(); k++) {
                    Property p = ps.get(k);
                    for (int c = 0; c < 6 && e.name().equals("vertex") && p.count() == null; c++) {
                        if (p.name().equals(names[c])) {
                            slots[c] = k;
                        }
                    }
                    if (e.name().equals("face") && p.count() != null
                            && (p.name().equals("vertex_indices") || p.name().equals("vertex_index"))) {
                        faceList = k;
                    }
                }
            }
            if (slots[0] < 0 || slots[1] < 0 || slots[2] < 0) {
                throw in.error("the header has no vertex element with x, y and z properties");
            }
            if (slots[3] < 0 || slots[4] < 0 || slots[5] < 0) {
                slots[3] = slots[4] = slots[5] = -1; // normals only when all three are there
            }
            return new Layout(slots, faceList);
        }

        boolean normals() {
            return slots[3] >= 0;
        }
    }

    private static Parsed ascii(Path file, byte[] bytes, TextLines header, List<Element> elements) {
        Layout layout = Layout.of(elements, header);
        TextLines in = new TextLines(file, bytes, header.position(), header.line() + 1, false);
        MeshFiles.Doubles vertices = new MeshFiles.Doubles();
        MeshFiles.Ints triangles = new MeshFiles.Ints();
        MeshFiles.Doubles normals = layout.normals() ? new MeshFiles.Doubles() : null;
        long vertexCount = vertexCount(elements);
        int[] corners = new int[16];
        double[] xyz = new double[6];
        for (Element e : elements) {
            in.checkRoom(e.count(), e.minBytes(false), e.name() + " elements");
            boolean vertex = e.name().equals("vertex");
            for (long r = 0; r < e.count(); r++) {
                if (!in.next()) {
                    throw in.error("the file ends after " + r + " of " + e.count() + " " + e.name() + " elements");
                }
                int at = 0;
                for (int k = 0; k < e.properties().size(); k++) {
                    Property p = e.properties().get(k);
                    if (p.count() == null) {
                        int c = vertex ? slot(layout, k) : -1;
                        if (c >= 0) {
                            xyz[c] = in.number(at, "property " + p.name() + " of vertex " + r);
                        }
                        at++;
                        continue;
                    }
                    long n = in.count(at, "list length of " + p.name());
                    if (e.name().equals("face") && k == layout.faceList()) {
                        if (n < 3 || n > in.tokens().length - at - 1) {
                            throw in.error("face " + r + " declares " + n + " corners; it needs at least 3 and the"
                                    + " line has " + (in.tokens().length - at - 1) + " values after the count");
                        }
                        if (n > corners.length) {
                            corners = new int[(int) n];
                        }
                        for (int c = 0; c < n; c++) {
                            corners[c] = vertexIndex(in, in.integer(at + 1 + c, "corner " + c + " of face " + r),
                                    vertexCount, r);
                        }
                        MeshFiles.fan(triangles, corners, (int) n);
                    }
                    at += 1 + (int) Math.min(n, Integer.MAX_VALUE - 1);
                }
                if (vertex) {
                    add(xyz, vertices, normals);
                }
            }
        }
        return new Parsed(vertices, normals, triangles, layout.faceList() >= 0);
    }

    private static Parsed binary(Path file, byte[] bytes, TextLines header, List<Element> elements,
                                       ByteOrder order) {
        Layout layout = Layout.of(elements, header);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        b.position(header.position());
        MeshFiles.Doubles vertices = new MeshFiles.Doubles();
        MeshFiles.Ints triangles = new MeshFiles.Ints();
        MeshFiles.Doubles normals = layout.normals() ? new MeshFiles.Doubles() : null;
        long vertexCount = vertexCount(elements);
        int[] corners = new int[16];
        double[] xyz = new double[6];
        for (Element e : elements) {
            boolean vertex = e.name().equals("vertex");
            long room = b.remaining();
            if (e.count() > room / e.minBytes(true)) {
                throw MeshFiles.corrupt(file, e.headerLine(), "the header declares " + e.count() + " " + e.name()
                        + " elements but the " + room + " bytes left can hold at most " + room / e.minBytes(true));
            }
            try {
                for (long r = 0; r < e.count(); r++) {
                    for (int k = 0; k < e.properties().size(); k++) {
                        Property p = e.properties().get(k);
                        if (p.count() == null) {
                            double v = p.type().read(b);
                            int c = vertex ? slot(layout, k) : -1;
                            if (c >= 0) {
                                if (!Double.isFinite(v)) {
                                    throw MeshFiles.corrupt(file, 0, "vertex " + r + ": " + p.name() + " is " + v);
                                }
                                xyz[c] = v;
                            }
                            continue;
                        }
                        long n = (long) p.count().read(b);
                        if (n < 0 || n * p.type().size > b.remaining()) {
                            throw MeshFiles.corrupt(file, 0, e.name() + " " + r + ": a list of " + n
                                    + " entries where " + b.remaining() + " bytes are left");
                        }
                        boolean face = e.name().equals("face") && k == layout.faceList();
                        if (face && n < 3) {
                            throw MeshFiles.corrupt(file, 0, "face " + r + " has " + n + " corners");
                        }
                        if (face && n > corners.length) {
                            corners = new int[(int) n];
                        }
                        for (int c = 0; c < n; c++) {
                            double v = p.type().read(b);
                            if (face) {
                                corners[c] = vertexIndex(file, v, vertexCount, r);
                            }
                        }
                        if (face) {
                            MeshFiles.fan(triangles, corners, (int) n);
                        }
                    }
                    if (vertex) {
                        add(xyz, vertices, normals);
                    }
                }
            } catch (BufferUnderflowException ex) {
                throw MeshFiles.corrupt(file, 0, "the file ends inside the " + e.name() + " elements");
            }
        }
        return new Parsed(vertices, normals, triangles, layout.faceList() >= 0);
    }

    /** Which value (0-2 for x, y, z, 3-5 for the normal) a vertex property holds, or -1. */
    private static int slot(Layout layout, int property) {
        for (int c = 0; c < 6; c++) {
            if (layout.slots()[c] == property) {
                return c;
            }
        }
        return -1;
    }

    private static void add(double[] xyz, MeshFiles.Doubles vertices, MeshFiles.Doubles normals) {
        for (int c = 0; c < 3; c++) {
            vertices.add(xyz[c]);
            if (normals != null) {
                normals.add(xyz[3 + c]);
            }
        }
    }

    private static long vertexCount(List<Element> elements) {
        for (Element e : elements) {
            if (e.name().equals("vertex")) {
                return e.count();
            }
        }
        return 0;
    }

    private static int vertexIndex(TextLines in, int i, long vertexCount, long face) {
        if (i < 0 || i >= vertexCount) {
            throw in.error("face " + face + " refers to vertex " + i + ", outside [0, " + vertexCount + ")");
        }
        return i;
    }

    private static int vertexIndex(Path file, double i, long vertexCount, long face) {
        if (!(i >= 0 && i < vertexCount) || i != Math.rint(i)) {
            throw MeshFiles.corrupt(file, 0, "face " + face + " refers to vertex " + i + ", outside [0, "
                    + vertexCount + ")");
        }
        return (int) i;
    }
}
