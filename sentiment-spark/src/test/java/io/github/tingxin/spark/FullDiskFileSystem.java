package io.github.tingxin.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A Hadoop file system {@code fullfs:} over the local disk whose files in a table's {@code run=N} folder fail
 * after 1 KiB with the error a full disk gives ({@code ENOSPC}), reached the way a remote output file system
 * (HDFS, S3) is reached: through Hadoop's {@code create}. A real full disk cannot be made without privileges.
 */
public class FullDiskFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "fullfs";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    return full(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return full(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
  }

  private static FSDataOutputStream full(Path f, FSDataOutputStream real) throws IOException {
    if (!f.toUri().getPath().contains("/run=")) {
      return real;
    }
    OutputStream full = new OutputStream() {
      private long written;

      @Override
      public void write(int b) throws IOException {
        if (++written > 1024) {
          throw new IOException("No space left on device");
        }
        real.write(b);
      }

      @Override
      public void close() throws IOException {
        real.close();
      }
    };
    return new FSDataOutputStream(full, null);
  }
}
