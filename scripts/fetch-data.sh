#!/usr/bin/env bash
# Fetch every HBNODE dataset into Datasets/ and verify it against Datasets/SHA256SUMS.
#
#   bash scripts/fetch-data.sh                 # download from the canonical locations (Datasets/sources.tsv)
#   bash scripts/fetch-data.sh /path/to/mirror # copy from a local mirror laid out like Datasets/
#   DATA_MIRROR=/path/to/mirror bash scripts/fetch-data.sh
#   HBNODE_DATASETS_DEST=/elsewhere bash scripts/fetch-data.sh ...   # install somewhere other than Datasets/
#   HBNODE_SOURCES=other.tsv bash scripts/fetch-data.sh               # other download URLs (same columns)
#
# Guarantees: every file is written to `<name>.part` first (downloads resume with `curl -C -`), checked
# against SHA256SUMS, and only then renamed, so a file under its final name is always a verified one.
# A .part that fails its checksum is deleted so the next run restarts it. Files that already verify
# are skipped, so the script is idempotent. If anything is still missing at the end (for example
# offline without a mirror), it lists what is missing and where to get it, and exits 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUMS="$ROOT/Datasets/SHA256SUMS"
SOURCES="${HBNODE_SOURCES:-$ROOT/Datasets/sources.tsv}"   # overridable to test against a local server
DEST="${HBNODE_DATASETS_DEST:-$ROOT/Datasets}"
MIRROR="${1:-${DATA_MIRROR:-}}"

if [[ -n "$MIRROR" && ! -d "$MIRROR" ]]; then
    echo "fetch-data: mirror directory '$MIRROR' does not exist" >&2
    exit 2
fi
for tool in sha256sum tar; do
    command -v "$tool" >/dev/null || { echo "fetch-data: '$tool' is required" >&2; exit 2; }
done
[[ -n "$MIRROR" ]] || command -v curl >/dev/null || { echo "fetch-data: 'curl' is required without a mirror" >&2; exit 2; }

mkdir -p "$DEST"
missing=()       # "path<TAB>where to get it"
installed=0
skipped=0

expected_sum() { awk -v p="$1" '$2 == p { print $1; exit }' "$SUMS"; }

# canonical URLs for a sources.tsv path
source_urls() { awk -F'\t' -v p="$1" '$1 == p { print $3; exit }' "$SOURCES"; }

# sha256 of a file
sum_of() { sha256sum "$1" | cut -d' ' -f1; }

# verified REL: the file DEST/REL exists and matches SHA256SUMS
verified() {
    local rel="$1" want
    want="$(expected_sum "$rel")"
    [[ -n "$want" && -f "$DEST/$rel" && "$(sum_of "$DEST/$rel")" == "$want" ]]
}

# download URL to PART, resuming a previous partial download. Succeeds only when curl completed the
# transfer. After a failed transfer the .part is kept so that the next run resumes it. A server that
# cannot resume (curl 33/36: no byte ranges) gets one fresh download from the start instead.
download() {
    local url="$1" part="$2" status=0
    curl -fsSL --connect-timeout 15 --retry 2 --retry-delay 2 -C - -o "$part" "$url" || status=$?
    if (( status == 33 || status == 36 )); then
        echo "fetch-data: server cannot resume $url; restarting it" >&2
        rm -f "$part"
        status=0
        curl -fsSL --connect-timeout 15 --retry 2 --retry-delay 2 -o "$part" "$url" || status=$?
    fi
    return $status
}

# promote PART to REL if its checksum matches; otherwise delete it so the next run restarts
promote() {
    local part="$1" rel="$2" want
    want="$(expected_sum "$rel")"
    if [[ "$(sum_of "$part")" == "$want" ]]; then
        mv -f "$part" "$DEST/$rel"
        installed=$((installed + 1))
        return 0
    fi
    echo "fetch-data: checksum mismatch for $rel (expected $want); removed the partial file" >&2
    rm -f "$part"
    return 1
}

# fetch_file REL: a single verified file, from the mirror or its canonical URL
fetch_file() {
    local rel="$1" part url
    if verified "$rel"; then skipped=$((skipped + 1)); return 0; fi
    mkdir -p "$(dirname "$DEST/$rel")"
    part="$DEST/$rel.part"
    if [[ -n "$MIRROR" ]]; then
        if [[ -f "$MIRROR/$rel" ]]; then
            cp -f "$MIRROR/$rel" "$part" && promote "$part" "$rel" && return 0
        fi
        missing+=("$rel	not in mirror $MIRROR; canonical: $(source_urls "$rel")")
        return 0
    fi
    for url in $(source_urls "$rel"); do
        if [[ "$url" != http* && "$url" != file://* ]]; then continue; fi
        echo "fetch-data: downloading $url"
        if download "$url" "$part"; then
            promote "$part" "$rel" && return 0
        elif [[ -s "$part" && "$(sum_of "$part")" == "$(expected_sum "$rel")" ]]; then
            promote "$part" "$rel" && return 0
        fi
    done
    if [[ -s "$part" ]]; then
        missing+=("$rel	$(source_urls "$rel") (partial download kept in $part; rerun to resume)")
    else
        missing+=("$rel	$(source_urls "$rel")")
    fi
}

# CIFAR-10: verify the six extracted .bin members (the mirror's tar.gz is a repack of the canonical one)
cifar_members=(data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin)
fetch_cifar() {
    local dir="cifar10/cifar-10-batches-bin" all=1 archive_part tmp member url
    for member in "${cifar_members[@]}"; do verified "$dir/$member" || all=0; done
    if [[ $all == 1 ]]; then skipped=$((skipped + 6)); return 0; fi
    mkdir -p "$DEST/$dir"
    if [[ -n "$MIRROR" && -d "$MIRROR/$dir" ]]; then
        # A mirror that already holds the extracted folder.
        for member in "${cifar_members[@]}"; do fetch_file "$dir/$member"; done
        return 0
    fi
    archive_part="$DEST/cifar10/cifar-10-binary.tar.gz.part"
    if [[ -n "$MIRROR" ]]; then
        if [[ ! -f "$MIRROR/cifar10/cifar-10-binary.tar.gz" ]]; then
            missing+=("$dir/*.bin	not in mirror $MIRROR; canonical: $(source_urls cifar10/cifar-10-batches-bin)")
            return 0
        fi
        cp -f "$MIRROR/cifar10/cifar-10-binary.tar.gz" "$archive_part"
    else
        url="$(source_urls cifar10/cifar-10-batches-bin)"
        echo "fetch-data: downloading $url"
        if ! download "$url" "$archive_part"; then
            missing+=("$dir/*.bin	$url (extract cifar-10-batches-bin/ into Datasets/cifar10/; any partial download is kept and resumed)")
            return 0
        fi
    fi
    tmp="$(mktemp -d "$DEST/cifar10/.extract.XXXXXX")"
    if ! tar -xzf "$archive_part" -C "$tmp" 2>/dev/null; then
        echo "fetch-data: $archive_part is not a complete tar.gz; removed it" >&2
        rm -rf "$tmp" "$archive_part"
        missing+=("$dir/*.bin	$(source_urls cifar10/cifar-10-batches-bin)")
        return 0
    fi
    local good=1
    for member in "${cifar_members[@]}"; do
        if [[ -f "$tmp/cifar-10-batches-bin/$member" ]]; then
            mv -f "$tmp/cifar-10-batches-bin/$member" "$DEST/$dir/$member.part"
            promote "$DEST/$dir/$member.part" "$dir/$member" || { good=0; missing+=("$dir/$member	checksum mismatch in the archive"); }
        else
            good=0
            missing+=("$dir/$member	not in the archive")
        fi
    done
    # The two small text members have no published checksum; install them as they are.
    for member in batches.meta.txt readme.html; do
        [[ -f "$tmp/cifar-10-batches-bin/$member" ]] && mv -f "$tmp/cifar-10-batches-bin/$member" "$DEST/$dir/$member"
    done
    # The archive is kept (verified through its members) for loaders that read the .tar.gz directly.
    if [[ $good == 1 ]]; then mv -f "$archive_part" "$DEST/cifar10/cifar-10-binary.tar.gz"; fi
    rm -rf "$tmp" "$archive_part"
}

# Walker2D: 400 rollout_*.npy files; the mirror has them loose, the canonical source is a zip
fetch_walker() {
    local rels=() rel all=1 zip_part tmp url got=0
    while read -r rel; do rels+=("$rel"); done < <(awk '$2 ~ /^walker\// { print $2 }' "$SUMS")
    for rel in "${rels[@]}"; do verified "$rel" || { all=0; break; }; done
    if [[ $all == 1 ]]; then skipped=$((skipped + ${#rels[@]})); return 0; fi
    mkdir -p "$DEST/walker"
    if [[ -n "$MIRROR" ]]; then
        for rel in "${rels[@]}"; do fetch_file "$rel"; done
        return 0
    fi
    command -v unzip >/dev/null || { missing+=("walker/*.npy	needs 'unzip'; $(source_urls walker)"); return 0; }
    zip_part="$DEST/walker.zip.part"
    for url in $(source_urls walker); do
        echo "fetch-data: downloading $url"
        if download "$url" "$zip_part"; then
            if unzip -tq "$zip_part" >/dev/null 2>&1; then got=1; break; fi
            echo "fetch-data: $zip_part is corrupt; removed it" >&2
            rm -f "$zip_part"
        fi
    done
    if [[ $got == 0 ]]; then missing+=("walker/*.npy	$(source_urls walker) (unzip; the .npy files go in Datasets/walker/)"); return 0; fi
    tmp="$(mktemp -d "$DEST/.walker.XXXXXX")"
    unzip -q -o "$zip_part" -d "$tmp"
    for rel in "${rels[@]}"; do
        local name found
        name="$(basename "$rel")"
        found="$(find "$tmp" -name "$name" -type f | head -n 1)"
        if [[ -z "$found" ]]; then missing+=("$rel	not in walker.zip"); continue; fi
        verified "$rel" && continue
        mv -f "$found" "$DEST/$rel.part"
        promote "$DEST/$rel.part" "$rel" || missing+=("$rel	checksum mismatch in walker.zip")
    done
    rm -rf "$tmp" "$zip_part"
}

# The plane-vibration dropped indices: copied from a mirror, else re-derived with NumPy's seeded draw
fetch_dropped_indices() {
    local rel="plane_vibration/dropped-indices.txt" part
    if verified "$rel" ; then skipped=$((skipped + 1)); return 0; fi
    if [[ -n "$MIRROR" ]]; then fetch_file "$rel"; return 0; fi
    mkdir -p "$DEST/plane_vibration"
    part="$DEST/$rel.part"
    if python3 - "$part" <<'PY' 2>/dev/null
import sys
import numpy as np
np.random.seed(1)
np.random.randn(73728, 5)          # the official error-noise draw (variance 0) advances the generator
kept = set(np.random.choice(range(73628), 66265, replace=False).tolist())
dropped = [i for i in range(73628) if i not in kept]
with open(sys.argv[1], "w") as f:
    f.write("# plane-vibration (pv.csv) time indices removed by the official split: np.random.seed(1); "
            "randn(73728,5) drawn first (error_var=0); then choice(range(73628), 66265, replace=False); "
            "complement listed here (7363 ints, ascending)\n")
    f.writelines(f"{i}\n" for i in dropped)
PY
    then
        promote "$part" "$rel" && return 0
    fi
    rm -f "$part"
    missing+=("$rel	needs python3 with numpy to derive it, or a mirror (the Swift loader can also derive it: PlaneVibration.derivedDroppedIndices())")
}

# A file tracked in the repository itself (small, freely licensed): verified where it is, or copied from the
# repository's Datasets/ when installing elsewhere (HBNODE_DATASETS_DEST), or from a mirror.
fetch_shipped() {
    local rel="$1" part
    if verified "$rel"; then skipped=$((skipped + 1)); return 0; fi
    mkdir -p "$(dirname "$DEST/$rel")"
    part="$DEST/$rel.part"
    if [[ -f "$ROOT/Datasets/$rel" && "$ROOT/Datasets" != "$DEST" ]]; then
        cp -f "$ROOT/Datasets/$rel" "$part" && promote "$part" "$rel" && return 0
    fi
    if [[ -n "$MIRROR" && -f "$MIRROR/$rel" ]]; then
        cp -f "$MIRROR/$rel" "$part" && promote "$part" "$rel" && return 0
    fi
    missing+=("$rel	shipped with the repository: restore it with 'git checkout -- Datasets/$rel' (source: $(source_urls "$rel"))")
}

for rel in mnist/train-images-idx3-ubyte.gz mnist/train-labels-idx1-ubyte.gz \
           mnist/t10k-images-idx3-ubyte.gz mnist/t10k-labels-idx1-ubyte.gz \
           plane_vibration/pv.csv silverbox/sb.csv; do
    fetch_file "$rel"
done
fetch_cifar
fetch_walker
fetch_dropped_indices
fetch_shipped point_cloud/reference-pointcloud-2d.csv

echo "fetch-data: $installed file(s) installed, $skipped already verified, into $DEST"
if (( ${#missing[@]} > 0 )); then
    echo "fetch-data: MISSING ${#missing[@]} item(s):" >&2
    for item in "${missing[@]}"; do
        printf '  %s\n      get it from: %s\n' "${item%%	*}" "${item#*	}" >&2
    done
    echo "fetch-data: rerun when online, or give a mirror: bash scripts/fetch-data.sh /path/to/mirror (or DATA_MIRROR=...)" >&2
    exit 1
fi
echo "fetch-data: all datasets present and verified"
