package io.github.tingxin.spark;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes rows of one of {@link Tables}' schemas to a Parquet file with Parquet's own writer, so that a Spark
 * task can write all three tables of its calls in the pass that analyses them (Spark's DataFrame writer
 * writes one table per job). The files are what Spark itself writes for these schemas: optional columns,
 * UTF-8 strings, three-level lists, Snappy, and Spark's schema in the footer, so Spark, DuckDB, pandas and
 * any Parquet reader read them as before.
 *
 * <p>Not thread-safe: one writer per task and table.
 */
final class ParquetRows implements AutoCloseable {
  /** The footer key under which Spark keeps a file's Spark schema (Spark's ParquetReadSupport reads it). */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  /** Row groups small enough that three open writers per core hold little memory. */
  private static final long ROW_GROUP_BYTES = 16L << 20;

  private final ParquetWriter<Object[]> writer;
  private long rows;

  ParquetRows(Configuration conf, OutputFile file, StructType schema) throws IOException {
    this.writer = new Builder(file, schema)
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .build();
  }

  void write(Object[] row) throws IOException {
    writer.write(row);
    rows++;
  }

  long rows() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  /** The Parquet schema Spark writes for {@code schema} (only the column types {@link Tables} uses). */
  static MessageType parquetSchema(StructType schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (StructField f : schema.fields()) {
      message.addField(parquetType(f.name(), f.dataType()));
    }
    return message.named("spark_schema");
  }

  private static Type parquetType(String name, DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
    } else if (type.equals(DataTypes.IntegerType)) {
      return Types.optional(PrimitiveTypeName.INT32).named(name);
    } else if (type.equals(DataTypes.DoubleType)) {
      return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
    } else if (type.equals(DataTypes.BooleanType)) {
      return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
    } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.StringType) && !a.containsNull()) {
      return Types.optionalList().requiredElement(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
          .named(name);
    }
    throw new IllegalArgumentException("no Parquet type for column " + name + " of " + type);
  }

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final StructType schema;

    Builder(OutputFile file, StructType schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema);
    }
  }

  /** Hands one row's values to Parquet's record consumer, column by column; null columns are left out. */
  private static final class RowWriteSupport extends WriteSupport<Object[]> {
    private final StructType schema;
    private final DataType[] types;
    private RecordConsumer out;

    RowWriteSupport(StructType schema) {
      this.schema = schema;
      this.types = new DataType[schema.fields().length];
      for (int i = 0; i < types.length; i++) {
        types[i] = schema.fields()[i].dataType();
      }
    }

    @Override
    public WriteContext init(Configuration configuration) {
      Map<String, String> extra = new HashMap<>();
      extra.put(SPARK_SCHEMA_KEY, schema.json());
      return new WriteContext(parquetSchema(schema), extra);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
      if (row.length != types.length) {
        throw new IllegalArgumentException("a row of " + row.length + " values for " + types.length + " columns");
      }
      out.startMessage();
      for (int i = 0; i < row.length; i++) {
        Object v = row[i];
        if (v == null) {
          continue;
        }
        String name = schema.fields()[i].name();
        out.startField(name, i);
        DataType t = types[i];
        if (t.equals(DataTypes.StringType)) {
          out.addBinary(Binary.fromString((String) v));
        } else if (t.equals(DataTypes.IntegerType)) {
          out.addInteger((Integer) v);
        } else if (t.equals(DataTypes.DoubleType)) {
          out.addDouble((Double) v);
        } else if (t.equals(DataTypes.BooleanType)) {
          out.addBoolean((Boolean) v);
        } else {
          writeList((List<?>) v);
        }
        out.endField(name, i);
      }
      out.endMessage();
    }

    /** The three-level list of the Parquet format: group (LIST) { repeated group list { element } }. */
    private void writeList(List<?> values) {
      out.startGroup();
      if (!values.isEmpty()) {
        out.startField("list", 0);
        for (Object e : values) {
          out.startGroup();
          out.startField("element", 0);
          out.addBinary(Binary.fromString((String) e));
          out.endField("element", 0);
          out.endGroup();
        }
        out.endField("list", 0);
      }
      out.endGroup();
    }
  }
}
