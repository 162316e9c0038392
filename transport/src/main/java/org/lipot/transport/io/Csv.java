package org.lipot.transport.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes matrices of numbers as delimited text (CSV, TSV, whitespace-separated), UTF-8.
 *
 * <p><b>Reading.</b> Blank lines and lines starting with {@code #} are skipped. The separator is detected once per
 * file from its first remaining line: tab if it holds one, else semicolon, else comma, else runs of whitespace.
 * Fields are trimmed. If the fields of that first line are not all numbers it is a header and is skipped. Every
 * other line must have as many fields as the first data line, each a number as {@link Double#parseDouble} reads
 * it, or {@code nan}, {@code inf}, {@code -inf} in any case (as numpy's {@code savetxt} writes them).
 *
 * <p><b>Writing</b> uses commas, {@code \n} line ends and {@link Double#toString}, which reads back to the same
 * double bit for bit (NaN included, as {@code NaN}). Writes are atomic.
 *
 * <p>Errors: an unreadable file, ragged rows or a field that is not a number give
 * {@link java.io.UncheckedIOException} whose message names the file, the line number and the field.
 */
public final class Csv {

    private Csv() {
    }

    /**
     * Reads a matrix, one row per data line. A file with no data lines gives no rows.
     *
     * @throws java.io.UncheckedIOException naming the file, line and field if it cannot be read, has ragged rows or
     *                                      a field that is not a number
     */
    public static double[][] readMatrix(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file, in);
        } catch (IOException e) {
            throw FileErrors.unreadable(file, e);
        }
    }

    /**
     * Reads a vector written as a single column or a single row. A file with no data lines gives an empty vector.
     *
     * @throws java.io.UncheckedIOException  as {@link #readMatrix(Path)}
     * @throws IllegalArgumentException naming the file if it holds several rows and several columns
     */
    public static double[] readVector(Path file) {
        double[][] rows = readMatrix(file);
        if (rows.length == 0) {
            return new double[0];
        }
        if (rows.length == 1) {
            return rows[0];
        }
        if (rows[0].length != 1) {
            throw new IllegalArgumentException(file + " must hold a single column or a single row but has "
                    + rows.length + " rows of " + rows[0].length + " columns");
        }
        double[] column = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            column[i] = rows[i][0];
        }
        return column;
    }

    /**
     * Writes a matrix as comma-separated lines, after an optional header line, atomically.
     *
     * @param header no names, or one name per column; names must not contain a tab, semicolon, comma or line
     *               break, and must not all be numbers (the reader would take them for data)
     * @throws IllegalArgumentException      if the rows are null, ragged or empty, or the header does not fit them
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static void write(Path file, double[][] rows, String... header) {
        write(file, ',', rows, header);
    }

    /**
     * Writes a vector as a single column, atomically.
     *
     * @throws IllegalArgumentException      if {@code values} is null
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static void write(Path file, double[] values) {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        AtomicWrite.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (double v : values) {
                w.write(Double.toString(v));
                w.write('\n');
            }
            w.flush();
        });
    }

    /** {@link #write(Path, double[][], String...)} with another separator ({@code '\t'} for a .tsv file). */
    static void write(Path file, char separator, double[][] rows, String... header) {
        int columns = checkedColumns(rows);
        checkHeader(header, columns);
        AtomicWrite.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            if (header.length > 0) {
                w.write(String.join(String.valueOf(separator), header));
                w.write('\n');
            }
            StringBuilder line = new StringBuilder();
            for (double[] row : rows) {
                line.setLength(0);
                for (int j = 0; j < row.length; j++) {
                    line.append(j == 0 ? "" : separator).append(row[j]);
                }
                w.append(line).write('\n');
            }
            w.flush();
        });
    }

    private static int checkedColumns(double[][] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        int columns = rows.length == 0 || rows[0] == null ? 0 : rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new IllegalArgumentException("rows: row " + i + " is null");
            }
            if (rows[i].length != columns) {
                throw new IllegalArgumentException("rows are ragged: row 0 has " + columns + " columns but row " + i
                        + " has " + rows[i].length);
            }
        }
        if (rows.length > 0 && columns == 0) {
            // an empty line reads back as a blank line, which is skipped
            throw new IllegalArgumentException("rows have no columns (" + rows.length + " x 0)");
        }
        return columns;
    }

    private static void checkHeader(String[] header, int columns) {
        if (header == null) {
            throw new IllegalArgumentException("header must not be null (pass no names for no header line)");
        }
        if (header.length == 0) {
            return;
        }
        if (columns > 0 && header.length != columns) {
            throw new IllegalArgumentException("header has " + header.length + " names but rows have " + columns
                    + " columns");
        }
        boolean allNumbers = true;
        for (int j = 0; j < header.length; j++) {
            String name = header[j];
            if (name == null || name.chars().anyMatch(c -> "\t;,\n\r".indexOf(c) >= 0)) {
                // any of these would change how the reader detects the separator or splits the lines
                throw new IllegalArgumentException("header name " + j + " (" + name
                        + ") is null or holds a tab, ';', ',' or a line break");
            }
            allNumbers &= isNumber(name.strip());
        }
        if (allNumbers) {
            throw new IllegalArgumentException("header names are all numbers, so they would read back as a data row");
        }
    }

    private static double[][] parse(Path file, BufferedReader in) throws IOException {
        List<double[]> rows = new ArrayList<>();
        Separator separator = null;
        int columns = -1;
        int firstDataLine = 0;
        String line;
        for (int lineNumber = 1; (line = in.readLine()) != null; lineNumber++) {
            String text = line.strip();
            if (text.isEmpty() || text.charAt(0) == '#') {
                continue;
            }
            if (separator == null) {
                separator = Separator.detect(text);
                if (!isNumberRow(separator.split(text))) {
                    continue;
                }
            }
            String[] fields = separator.split(text);
            if (columns < 0) {
                columns = fields.length;
                firstDataLine = lineNumber;
            } else if (fields.length != columns) {
                throw FileErrors.corrupt(file, "line " + lineNumber + " has " + fields.length + " fields but line "
                        + firstDataLine + " has " + columns);
            }
            double[] row = new double[columns];
            for (int j = 0; j < columns; j++) {
                try {
                    row[j] = parseNumber(fields[j]);
                } catch (NumberFormatException e) {
                    throw FileErrors.corrupt(file, "line " + lineNumber + ", field " + (j + 1) + ": '" + fields[j]
                            + "' is not a number");
                }
            }
            rows.add(row);
        }
        return rows.toArray(new double[0][]);
    }

    private static boolean isNumberRow(String[] fields) {
        for (String f : fields) {
            if (!isNumber(f)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String field) {
        try {
            parseNumber(field);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@link Double#parseDouble}, plus the spellings of NaN and infinity that numpy and others write. */
    private static double parseNumber(String field) {
        try {
            return Double.parseDouble(field);
        } catch (NumberFormatException e) {
            return switch (field.toLowerCase(Locale.ROOT)) {
                case "nan", "+nan", "-nan" -> Double.NaN;
                case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw e;
            };
        }
    }

    /** How the fields of a line are separated. */
    private enum Separator {
        TAB('\t'), SEMICOLON(';'), COMMA(','), WHITESPACE(' ');

        private final char c;

        Separator(char c) {
            this.c = c;
        }

        /** The first of tab, semicolon and comma found in the line, else whitespace. */
        static Separator detect(String line) {
            for (Separator s : values()) {
                if (s != WHITESPACE && line.indexOf(s.c) >= 0) {
                    return s;
                }
            }
            return WHITESPACE;
        }

        /** The trimmed fields of a stripped, non-empty line. */
        String[] split(String line) {
            List<String> fields = new ArrayList<>();
            int start = 0;
            while (start <= line.length()) {
                int end = this == WHITESPACE ? nextSpace(line, start) : line.indexOf(c, start);
                if (end < 0) {
                    end = line.length();
                }
                fields.add(line.substring(start, end).strip());
                start = end + 1;
                if (this == WHITESPACE) {
                    while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
                        start++;
                    }
                }
            }
            return fields.toArray(new String[0]);
        }

        private static int nextSpace(String line, int from) {
            for (int k = from; k < line.length(); k++) {
                if (Character.isWhitespace(line.charAt(k))) {
                    return k;
                }
            }
            return -1;
        }
    }
}
