"""WebM (Matroska) recordings without their metadata, in place: the Tags, Attachments and
Chapters elements and the Info element's Title, DateUTC, MuxingApp and WritingApp become
Void elements of zeros of the same length, so no offset in the file moves. A file with a
video track is refused. Live recorders (a browser's MediaRecorder) write a Segment and
Clusters of unknown size: a Cluster ends where the next top-level element begins."""

SEGMENT = 0x18538067
CLUSTER = 0x1F43B675
TRACKS, TRACK_ENTRY, TRACK_TYPE = 0x1654AE6B, 0xAE, 0x83
INFO = 0x1549A966
# Children of a Segment: where an unknown-size Cluster ends.
SEGMENT_CHILDREN = {
    0x114D9B74,  # SeekHead
    INFO,
    TRACKS,
    0x1C53BB6B,  # Cues
    0x1254C367,  # Tags
    0x1941A469,  # Attachments
    0x1043A770,  # Chapters
    CLUSTER,
}
BLANKED = {
    0x1254C367,  # Tags
    0x1941A469,  # Attachments
    0x1043A770,  # Chapters
    0x7BA9,  # Info: Title
    0x4461,  # Info: DateUTC
    0x4D80,  # Info: MuxingApp
    0x5741,  # Info: WritingApp
}
MASTERS = {SEGMENT, CLUSTER, TRACKS, TRACK_ENTRY, INFO}
VOID = 0xEC
VIDEO = 1


def _vint(buffer, pos, keep_marker):
    """(value, width) of the variable-length integer at pos; value None when all its
    value bits are ones (an unknown size)."""
    first = buffer[pos]
    width = 9 - first.bit_length() if first else 9
    if width > 8 or pos + width > len(buffer):
        raise ValueError("bad EBML number")
    value = int.from_bytes(buffer[pos : pos + width], "big")
    if keep_marker:
        return value, width
    value &= (1 << (7 * width)) - 1
    return (None if value == (1 << (7 * width)) - 1 else value), width


def _void(buffer, pos, header, size):
    """Turn the element at pos (header bytes, then size bytes) into a Void of zeros."""
    width = min(header - 1, 8)
    void_size = size + header - 1 - width  # header bytes past a 9-byte Void's are zeros too
    if width < 1 or void_size >= (1 << (7 * width)) - 1:
        raise ValueError("cannot blank in place")
    buffer[pos] = VOID
    buffer[pos + 1 : pos + 1 + width] = ((1 << (7 * width)) | void_size).to_bytes(width, "big")
    buffer[pos + 1 + width : pos + header + size] = bytes(void_size)


def _walk(buffer, pos, end, found, in_cluster=False):
    """Blank what BLANKED names between pos and end; return where the walk stopped (an
    unknown-size Cluster stops at the next Segment child)."""
    while pos < end:
        element, id_width = _vint(buffer, pos, keep_marker=True)
        if in_cluster and element in SEGMENT_CHILDREN:
            return pos
        size, size_width = _vint(buffer, pos + id_width, keep_marker=False)
        header = id_width + size_width
        body = pos + header
        if size is None:
            if element not in (SEGMENT, CLUSTER):
                raise ValueError("unknown size outside a Segment or Cluster")
            pos = _walk(buffer, body, end, found, in_cluster=element == CLUSTER)
            continue
        if body + size > end:
            raise ValueError("an element runs past its parent")
        if element in BLANKED:
            _void(buffer, pos, header, size)
            found["blanked"] += 1
        elif element in MASTERS:
            _walk(buffer, body, body + size, found, in_cluster=False)
        elif element == TRACK_TYPE:
            found["types"].add(int.from_bytes(buffer[body : body + size], "big"))
        pos = body + size
    return pos


def strip_webm(data):
    """The WebM with its metadata blanked; ValueError if it cannot be read, or is not
    sound only (the caller refuses it)."""
    if not data.startswith(b"\x1a\x45\xdf\xa3"):
        raise ValueError("not EBML")
    buffer = bytearray(data)
    found = {"blanked": 0, "types": set()}
    _walk(buffer, 0, len(buffer), found)
    if VIDEO in found["types"] or 2 not in found["types"]:
        raise ValueError("not a sound-only recording")
    return bytes(buffer)
