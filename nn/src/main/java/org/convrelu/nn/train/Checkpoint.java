package org.convrelu.nn.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training checkpoint: named arrays (parameters, optimiser momentum, BatchNorm running
 * statistics), named random streams, the last finished epoch, the global step and the metrics so
 * far. Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint.
 */
public record Checkpoint(int epoch, long step, List<EpochMetrics> metrics, Map<String, long[]> streams,
        Map<String, INDArray> arrays) {
    private static final String MAGIC = "convrelu-checkpoint";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public void save(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeUTF(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(epoch);
                out.writeLong(step);
                byte[] json = JSON.writeValueAsBytes(metrics);
                out.writeInt(json.length);
                out.write(json);
                out.writeInt(streams.size());
                for (Map.Entry<String, long[]> s : streams.entrySet()) {
                    out.writeUTF(s.getKey());
                    out.writeLong(s.getValue()[0]);
                    out.writeLong(s.getValue()[1]);
                }
                out.writeInt(arrays.size());
                for (Map.Entry<String, INDArray> a : arrays.entrySet()) {
                    out.writeUTF(a.getKey());
                    Nd4j.write(a.getValue(), out);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    public static Checkpoint load(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String magic = in.readUTF();
            int version = in.readInt();
            if (!MAGIC.equals(magic) || version != VERSION) {
                throw new IllegalArgumentException(file + ": not a version-" + VERSION + " checkpoint (found '" + magic
                        + "' version " + version + ")");
            }
            int epoch = in.readInt();
            long step = in.readLong();
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            List<EpochMetrics> metrics = JSON.readValue(json, new TypeReference<List<EpochMetrics>>() {});
            Map<String, long[]> streams = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                streams.put(in.readUTF(), new long[] {in.readLong(), in.readLong()});
            }
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                arrays.put(in.readUTF(), Nd4j.read(in));
            }
            return new Checkpoint(epoch, step, metrics, streams, arrays);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + " (damaged or truncated?)", e);
        }
    }

    /** Copies the saved array {@code name} into {@code target}, checking that it exists and fits. */
    public void restore(String name, INDArray target) {
        INDArray saved = arrays.get(name);
        if (saved == null) {
            throw new IllegalArgumentException("checkpoint has no array " + name + " (was it written by another model?)");
        }
        if (!Arrays.equals(saved.shape(), target.shape())) {
            throw new IllegalArgumentException("checkpoint array " + name + " has shape " + Arrays.toString(saved.shape())
                    + ", the model has " + Arrays.toString(target.shape()));
        }
        target.assign(saved.castTo(target.dataType()));
    }

    /** The saved stream {@code name}. */
    public RandomStream stream(String name) {
        long[] s = streams.get(name);
        if (s == null) {
            throw new IllegalArgumentException("checkpoint has no random stream " + name);
        }
        return RandomStream.restore(s);
    }
}
