#!/usr/bin/env python3
"""Writes the seed corpora of the Datasets fuzz targets into OUT/<target>/, cut down from the real data files
in DATA (what `make data` fetches) so each seed is small (a few kB) and still well-formed. Targets whose
file is missing get a crafted seed only. Nothing here is committed: corpora are rebuilt on every fuzz run."""
import gzip, io, os, random, struct, sys, tarfile

out, data = sys.argv[1], sys.argv[2]
rng = random.Random(14)

def put(target, name, payload):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(payload)

def real(relative):
    path = os.path.join(data, relative)
    return open(path, "rb").read() if os.path.exists(path) else None

def head_lines(payload, count):
    return b"".join(payload.splitlines(keepends=True)[:count])

def idx(shape, body):
    return bytes([0, 0, 8, len(shape)]) + b"".join(struct.pack(">I", n) for n in shape) + body

# IDX / MNIST: the real label file (gzip), a raw labels file and a tiny images file.
labels = real("mnist/t10k-labels-idx1-ubyte.gz")
if labels:
    put("idx", "t10k-labels.gz", labels)
    put("mnist", "t10k-labels.gz", labels)
    raw = gzip.decompress(labels)
    put("idx", "labels-64", idx([64], raw[8:72]))
images = real("mnist/t10k-images-idx3-ubyte.gz")
if images:
    raw = gzip.decompress(images)
    small = idx([2, 28, 28], raw[16:16 + 2 * 784])
    put("idx", "images-2.gz", gzip.compress(small))
    put("mnist", "images-2", small)
put("idx", "crafted", idx([3, 2, 2], bytes(range(12))))

# CIFAR-10: two records (label byte + 3072 pixels), alone and as the test batch of a .tar.gz.
batch = b"".join(bytes([k % 10]) + bytes(rng.randrange(256) for _ in range(3072)) for k in range(2))
put("cifar-batch", "two-records.bin", batch)
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
    info = tarfile.TarInfo("cifar-10-batches-bin/test_batch.bin")
    info.size = len(batch)
    archive.addfile(info, io.BytesIO(batch))
put("cifar-archive", "test-batch.tar.gz", buffer.getvalue())

# .npy / Walker2D: the first 90 rows of a real rollout (enough for one 64-step window after the drop).
rollout = real("walker/rollout_000.npy")
if rollout:
    header_length = struct.unpack("<H", rollout[8:10])[0]
    header = rollout[10:10 + header_length].decode("latin1")
    descr = header.split("'descr':")[1].split("'")[1]
    itemsize = int(descr[2:])
    rows = 90
    new_header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d, 17), }" % (descr, rows)
    new_header += " " * ((64 - (10 + len(new_header) + 1) % 64) % 64) + "\n"
    small = rollout[:8] + struct.pack("<H", len(new_header)) + new_header.encode("latin1") \
        + rollout[10 + header_length:10 + header_length + rows * 17 * itemsize]
    put("npy", "rollout-90.npy", small)
    put("walker-rollout", "rollout-90.npy", small)

# CSV files: the first lines of the real ones.
for target, relative, count in [("pv-csv", "plane_vibration/pv.csv", 40), ("numeric-csv", "plane_vibration/pv.csv", 20),
                                ("silverbox", "silverbox/sb.csv", 40), ("numeric-csv", "silverbox/sb.csv", 20),
                                ("pv-dropped-indices", "plane_vibration/dropped-indices.txt", 60),
                                ("pointcloud", "point_cloud/reference-pointcloud-2d.csv", 1000)]:
    payload = real(relative)
    if payload:
        put(target, os.path.basename(relative), head_lines(payload, count))
put("numeric-csv", "crafted.csv", b'"V1","V2","name",\r\n1.5,2,a,\r\n-3e-2,4,b,\r\n')
put("pointcloud", "crafted.csv", b"split,index,x,y,label\ntrain,0,0.1,0.2,-1\ntest,0,0.3,0.1,1\nvis,0,0,0,-1\n")
