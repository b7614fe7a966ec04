"""TFRecord files and ``tf.train.Example`` messages, read and written without TensorFlow.

TFRecord framing (tensorflow/core/lib/io/record_writer.cc), each record::

    uint64 length (little endian) | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)

``masked_crc32c(x) = ((c >> 15) | (c << 17)) + 0xa282ead8 (mod 2**32)`` with ``c`` the
CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of ``x``. CRC-32C comes from
``google-crc32c`` (a dependency: hardware CRC instructions, about 190x faster than Python on
8 MiB). If that package is missing, ``crc32c_fallback`` computes the same value in numpy: the
data is split into many equal lanes whose CRCs run in parallel, then the lanes are joined with
the "shift by n zero bytes" operator (a 32x32 matrix over GF(2), as zlib's crc32_combine).

``tf.train.Example`` is decoded from the protobuf wire format directly: Example{features=1}
-> Features{map<string, Feature> feature=1} -> Feature{bytes_list=1 | float_list=2 |
int64_list=3}, each list a ``repeated value = 1`` (floats and int64s packed or not).
"""

import functools
import math
import struct

import numpy as np

from ganzoo.errors import GanzooError

POLY = 0x82F63B78
MASK_DELTA = 0xA282EAD8
MAX_LANES = 1024


class TFRecordError(GanzooError):
    """Wrong TFRecord framing, a CRC mismatch or a malformed Example, naming file and offset."""


def _table():
    table = np.zeros(256, np.uint32)
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ POLY if crc & 1 else crc >> 1
        table[byte] = crc
    return table


TABLE = _table()
_TABLE_LIST = TABLE.tolist()


def _matrix_apply(matrix, vector):
    out = 0
    bit = 0
    while vector:
        if vector & 1:
            out ^= matrix[bit]
        vector >>= 1
        bit += 1
    return out


def _matrix_square(matrix):
    return [_matrix_apply(matrix, column) for column in matrix]


@functools.lru_cache(maxsize=64)
def _zero_byte_operator(count):
    """Columns of the GF(2) matrix that runs the CRC register over ``count`` zero bytes."""
    bit = [0] * 32  # one zero *bit*: shift right, xor the polynomial if the low bit was set
    bit[0] = POLY
    for i in range(1, 32):
        bit[i] = 1 << (i - 1)
    op = _matrix_square(_matrix_square(_matrix_square(bit)))  # 8 zero bits = one zero byte
    result = None
    while count:
        if count & 1:
            result = op if result is None else [_matrix_apply(op, c) for c in result]
        count >>= 1
        if count:
            op = _matrix_square(op)
    return result or [1 << i for i in range(32)]


def _update(crc, data):
    for byte in data:
        crc = _TABLE_LIST[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


def crc32c_fallback(data):
    """CRC-32C of ``data`` (bytes-like) without ``google-crc32c``."""
    data = memoryview(data).cast("B")
    n = len(data)
    crc = 0xFFFFFFFF
    if n < 2048:
        return _update(crc, data) ^ 0xFFFFFFFF
    count = min(MAX_LANES, int(math.sqrt(n)))
    length = n // count
    lanes = np.frombuffer(data, np.uint8, count * length).reshape(count, length)
    regs = np.zeros(count, np.uint32)  # each lane's register from 0: the linear part only
    for column in lanes.T:
        regs = TABLE[(regs ^ column) & 0xFF] ^ (regs >> 8)
    shift = _zero_byte_operator(length)
    for reg in regs.tolist():
        crc = _matrix_apply(shift, crc) ^ reg
    return _update(crc, data[count * length:]) ^ 0xFFFFFFFF


try:
    from google_crc32c import value as _fast_crc32c
except ImportError:  # an environment without the wheel still reads TFRecords, slowly
    _fast_crc32c = None


def crc32c(data):
    """CRC-32C of ``data`` (bytes-like): ``google-crc32c`` if installed, else the fallback."""
    if _fast_crc32c is None:
        return crc32c_fallback(data)
    return _fast_crc32c(data if isinstance(data, bytes) else bytes(data))  # it takes bytes only


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + MASK_DELTA) & 0xFFFFFFFF


def read_records(path, check_crc=True):
    """Yield ``(offset, bytes)`` for every record of a TFRecord file (uncompressed)."""
    with open(path, "rb") as handle:
        offset = 0
        while True:
            header = handle.read(12)
            if not header:
                return
            if len(header) < 12:
                raise TFRecordError(f"{path}: truncated record header at byte {offset}")
            length, length_crc = struct.unpack("<QI", header)
            if check_crc and masked_crc32c(header[:8]) != length_crc:
                raise TFRecordError(f"{path}: length CRC mismatch at byte {offset} (not a TFRecord file, or corrupt)")
            data = handle.read(length)
            footer = handle.read(4)
            if len(data) < length or len(footer) < 4:
                raise TFRecordError(f"{path}: truncated record at byte {offset} ({len(data)} of {length} bytes)")
            if check_crc and masked_crc32c(data) != struct.unpack("<I", footer)[0]:
                raise TFRecordError(f"{path}: data CRC mismatch in the record at byte {offset}")
            yield offset, data
            offset += 16 + length


def record_offsets(path):
    """Byte offsets of every record, from the framing alone (lengths only, no CRC, no data read)."""
    offsets = []
    with open(path, "rb") as handle:
        offset = 0
        while header := handle.read(12):
            if len(header) < 12:
                raise TFRecordError(f"{path}: truncated record header at byte {offset}")
            offsets.append(offset)
            offset += 16 + struct.unpack("<Q", header[:8])[0]
            handle.seek(offset)
    return offsets


def read_record_at(path, offset, check_crc=True):
    """The one record that starts at byte ``offset``."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        header = handle.read(12)
        if len(header) < 12:
            raise TFRecordError(f"{path}: no record at byte {offset}")
        length, length_crc = struct.unpack("<QI", header)
        if check_crc and masked_crc32c(header[:8]) != length_crc:
            raise TFRecordError(f"{path}: length CRC mismatch at byte {offset}")
        data, footer = handle.read(length), handle.read(4)
        if len(data) < length or len(footer) < 4:
            raise TFRecordError(f"{path}: truncated record at byte {offset}")
        if check_crc and masked_crc32c(data) != struct.unpack("<I", footer)[0]:
            raise TFRecordError(f"{path}: data CRC mismatch in the record at byte {offset}")
        return data


def write_records(path, records):
    """Write byte strings as a TFRecord file (what TensorFlow's TFRecordWriter writes)."""
    with open(path, "wb") as handle:
        for data in records:
            header = struct.pack("<Q", len(data))
            handle.write(header + struct.pack("<I", masked_crc32c(header)))
            handle.write(data + struct.pack("<I", masked_crc32c(data)))


# -- protobuf wire format -----------------------------------------------------------------------

def _varint(buf, pos):
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise ValueError("truncated varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(buf):
    """Yield ``(field number, wire type, value)``; value is an int or a memoryview slice."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            size, pos = _varint(buf, pos)
            if pos + size > len(buf):
                raise ValueError("truncated length-delimited field")
            value, pos = buf[pos:pos + size], pos + size
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, wire, value


def _feature(buf):
    for number, _, body in _fields(buf):
        if number == 1:
            return [bytes(v) for n, w, v in _fields(body) if n == 1]
        if number == 2:
            out = []
            for n, w, v in _fields(body):
                out.extend(np.frombuffer(v, "<f4").tolist() if w == 2 else struct.unpack("<f", v))
            return out
        if number == 3:
            out = []
            for n, w, v in _fields(body):
                if w == 2:
                    pos = 0
                    while pos < len(v):
                        item, pos = _varint(v, pos)
                        out.append(item - (1 << 64) if item >= 1 << 63 else item)
                else:
                    out.append(v - (1 << 64) if v >= 1 << 63 else v)
            return out
    return []


def parse_example(data, keys=None):
    """A ``tf.train.Example`` as ``{key: list of bytes | floats | ints}`` (only ``keys`` if given)."""
    buf = memoryview(data)
    out = {}
    try:
        for number, _, features in _fields(buf):
            if number != 1:
                continue
            for n, _, entry in _fields(features):
                if n != 1:
                    continue
                key, value = None, None
                for m, _, part in _fields(entry):
                    if m == 1:
                        key = bytes(part).decode()
                    elif m == 2:
                        value = part
                if key is not None and (keys is None or key in keys):
                    out[key] = _feature(value) if value is not None else []
    except (ValueError, UnicodeDecodeError, struct.error) as exc:
        raise TFRecordError(f"malformed tf.train.Example ({exc})") from None
    return out


def _key(number, wire):
    return _enc_varint((number << 3) | wire)


def _enc_varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _delimited(number, payload):
    return _key(number, 2) + _enc_varint(len(payload)) + payload


def encode_example(features):
    """``{key: bytes | list of bytes | list of floats | list of ints}`` -> serialized Example
    (floats packed as TensorFlow writes them)."""
    entries = b""
    for key, value in features.items():
        if isinstance(value, (bytes, bytearray)):
            value = [bytes(value)]
        value = list(value)
        if value and isinstance(value[0], (bytes, bytearray)):
            feature = _delimited(1, b"".join(_delimited(1, bytes(v)) for v in value))
        elif value and isinstance(value[0], float):
            feature = _delimited(2, _delimited(1, struct.pack(f"<{len(value)}f", *value)))
        else:
            feature = _delimited(3, _delimited(1, b"".join(_enc_varint(int(v) & ((1 << 64) - 1)) for v in value)))
        entries += _delimited(1, _delimited(1, key.encode()) + _delimited(2, feature))
    return _delimited(1, entries)
