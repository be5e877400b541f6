package org.promptlimits.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.promptlimits.check.Require;
import org.promptlimits.sweep.Column;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep table as a Parquet directory, written and read on the driver with Parquet's own Hadoop API: one file
 * {@code part-00000.parquet} (Snappy) and a {@code _SUCCESS} marker, the layout Spark writes and reads. A sweep's
 * rows are a few values per point and are on the driver already, so writing them needs no Spark job (a
 * DataFrame write and read cost a query plan and code generation: seconds of CPU on a session's first use,
 * most of a small sweep's fixed cost on Spark). Any Hadoop file system works: local, HDFS, an object store.
 */
final class ParquetTable {

    static final String PART = "part-00000.parquet";

    private ParquetTable() {
    }

    /** The Parquet schema of a sweep table: every column required, strings as UTF-8. */
    static MessageType schema(List<Column> columns) {
        List<Type> fields = new ArrayList<>();
        for (Column c : columns) {
            fields.add(switch (c.type()) {
                case INT -> Types.required(PrimitiveTypeName.INT32).named(c.name());
                case LONG -> Types.required(PrimitiveTypeName.INT64).named(c.name());
                case DOUBLE -> Types.required(PrimitiveTypeName.DOUBLE).named(c.name());
                case BOOLEAN -> Types.required(PrimitiveTypeName.BOOLEAN).named(c.name());
                case STRING -> Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                        .named(c.name());
            });
        }
        return new MessageType("sweep", fields);
    }

    /**
     * Writes full rows (values in the order of {@code columns}) to the directory {@code out}.
     *
     * @param overwrite replace {@code out} if it exists
     * @throws IllegalArgumentException if {@code out} exists and {@code overwrite} is false
     */
    static void write(List<Object[]> rows, List<Column> columns, String out, boolean overwrite, Configuration conf) {
        MessageType type = schema(columns);
        Path dir = new Path(out);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (fs.exists(dir)) {
                Require.that(overwrite, "output directory " + out
                        + " exists; choose another or pass --overwrite (overwrite = true) to replace it");
                fs.delete(dir, true);
            }
            fs.mkdirs(dir);
            SimpleGroupFactory groups = new SimpleGroupFactory(type);
            try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(new Path(dir, PART), conf))
                    .withConf(conf).withType(type).withWriteMode(ParquetFileWriter.Mode.CREATE)
                    .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
                for (Object[] r : rows) {
                    Group g = groups.newGroup();
                    for (int j = 0; j < r.length; j++) {
                        String name = columns.get(j).name();
                        switch (columns.get(j).type()) {
                            case INT -> g.add(name, (Integer) r[j]);
                            case LONG -> g.add(name, (Long) r[j]);
                            case DOUBLE -> g.add(name, (Double) r[j]);
                            case BOOLEAN -> g.add(name, (Boolean) r[j]);
                            case STRING -> g.add(name, (String) r[j]);
                        }
                    }
                    w.write(g);
                }
            }
            fs.create(new Path(dir, "_SUCCESS"), true).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep's Parquet output " + out, e);
        }
    }

    /**
     * Reads every Parquet file of the directory {@code out} (files whose names start with '_' or '.' are
     * skipped, as Spark does) into full rows, values in the order of {@code columns}.
     *
     * @throws IllegalArgumentException if a column is missing or has another type
     */
    static List<Object[]> read(List<Column> columns, String out, Configuration conf) {
        Path dir = new Path(out);
        List<Object[]> rows = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(conf);
            for (FileStatus f : fs.listStatus(dir)) {
                String name = f.getPath().getName();
                if (!f.isFile() || name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f.getPath())
                        .withConf(conf).build()) {
                    for (Group g; (g = r.read()) != null; ) {
                        rows.add(values(g, columns, f.getPath().toString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sweep's Parquet output " + out, e);
        }
        return rows;
    }

    private static Object[] values(Group g, List<Column> columns, String file) {
        Object[] v = new Object[columns.size()];
        for (int j = 0; j < v.length; j++) {
            Column c = columns.get(j);
            Require.that(g.getType().containsField(c.name()), "Parquet file " + file + " has no column '" + c.name()
                    + "' (it has " + g.getType().getFields().stream().map(Type::getName).toList() + ")");
            PrimitiveTypeName t = g.getType().getType(c.name()).asPrimitiveType().getPrimitiveTypeName();
            PrimitiveTypeName want = schema(List.of(c)).getType(0).asPrimitiveType().getPrimitiveTypeName();
            Require.that(t == want, "Parquet file " + file + ": column '" + c.name() + "' is " + t + ", not " + want);
            v[j] = switch (c.type()) {
                case INT -> g.getInteger(c.name(), 0);
                case LONG -> g.getLong(c.name(), 0);
                case DOUBLE -> g.getDouble(c.name(), 0);
                case BOOLEAN -> g.getBoolean(c.name(), 0);
                case STRING -> g.getString(c.name(), 0);
            };
        }
        return v;
    }
}
