package org.convrelu.nn.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrelu.io.AtomicFiles;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training checkpoint: the identity of the run it belongs to, named arrays (parameters, optimiser
 * momentum, BatchNorm running statistics), named random streams, the last finished epoch, the
 * global step and the metrics so far. The file ends with the SHA-256 of everything before it, so a
 * damaged or truncated checkpoint is refused by name, never half-read; it is written through
 * {@link AtomicFiles}, so a crash never leaves a half-written one.
 *
 * @param identity what run wrote it (a cell's configuration); a run resumes only from its own
 * @param epoch the last finished epoch (−1 before the first)
 * @param position how far the next epoch got, and the training time so far
 */
public record Checkpoint(String identity, int epoch, long step, List<EpochMetrics> metrics, Position position,
        Map<String, long[]> streams, Map<String, INDArray> arrays) {

    /**
     * Where in epoch {@code epoch + 1} the run stood: {@code batch} batches done, with their loss sum,
     * correct count, examples seen and seconds; and the seconds of training of every process so far.
     */
    public record Position(int batch, double lossSum, long correct, long seen, double epochSeconds, double totalSeconds) {
        public static Position atEpochStart(double totalSeconds) {
            return new Position(0, 0, 0, 0, 0, totalSeconds);
        }
    }

    private static final String MAGIC = "convrelu-checkpoint";
    private static final int VERSION = 2;
    private static final String DIGEST = "SHA-256";
    private static final int DIGEST_BYTES = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    public Checkpoint {
        identity = identity == null ? "" : identity;
    }

    public void save(Path file) {
        AtomicFiles.writeAtomically(file, stream -> {
            DigestOutputStream digested = new DigestOutputStream(stream, sha256());
            DataOutputStream out = new DataOutputStream(digested);
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            byte[] id = identity.getBytes(StandardCharsets.UTF_8);
            out.writeInt(id.length);
            out.write(id);
            out.writeInt(epoch);
            out.writeLong(step);
            byte[] json = JSON.writeValueAsBytes(metrics);
            out.writeInt(json.length);
            out.write(json);
            byte[] where = JSON.writeValueAsBytes(position);
            out.writeInt(where.length);
            out.write(where);
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
            out.flush();
            stream.write(digested.getMessageDigest().digest());
        });
    }

    /** Reads a checkpoint, refusing one whose checksum does not match (damaged, truncated or edited). */
    public static Checkpoint load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        int payload = bytes.length - DIGEST_BYTES;
        MessageDigest digest = sha256();
        if (payload > 0) {
            digest.update(bytes, 0, payload);
        }
        if (payload <= 0 || !MessageDigest.isEqual(digest.digest(), Arrays.copyOfRange(bytes, payload, bytes.length))) {
            throw new IllegalStateException("checkpoint " + file + " is damaged: its SHA-256 does not match its content ("
                    + bytes.length + " bytes; truncated, modified, or not written by this version). Delete it to train the run"
                    + " from the start.");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, payload))) {
            String magic = in.readUTF();
            int version = in.readInt();
            if (!MAGIC.equals(magic) || version != VERSION) {
                throw new IllegalStateException(file + ": not a version-" + VERSION + " checkpoint (found '" + magic
                        + "' version " + version + ")");
            }
            byte[] id = new byte[in.readInt()];
            in.readFully(id);
            int epoch = in.readInt();
            long step = in.readLong();
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            List<EpochMetrics> metrics = JSON.readValue(json, new TypeReference<List<EpochMetrics>>() {});
            byte[] where = new byte[in.readInt()];
            in.readFully(where);
            Position position = JSON.readValue(where, Position.class);
            Map<String, long[]> streams = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                streams.put(in.readUTF(), new long[] {in.readLong(), in.readLong()});
            }
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                arrays.put(in.readUTF(), Nd4j.read(in));
            }
            return new Checkpoint(new String(id, StandardCharsets.UTF_8), epoch, step, metrics, position, streams, arrays);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot read checkpoint " + file + ": " + e, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance(DIGEST);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + DIGEST, e);
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
