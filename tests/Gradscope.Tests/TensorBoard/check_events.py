#!/usr/bin/python3
"""Independent check of a TensorBoard event file, with Debian's python3-crc32c (no Gradscope code).

Reads the TFRecord framing, verifies both masked CRC32C checksums of every record, and writes the payloads as one
protobuf message (each payload a length-delimited field 1) to OUT, for `protoc --decode_raw`. A short last record
(a writer killed mid-write) ends the file: it is reported, and the records before it are kept.
Prints one line: "records N" and, when the tail is short, "truncated K bytes". Exits 1 on a checksum mismatch.
"""
import struct
import sys

import crc32c


def masked(data):
    c = crc32c.crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def main(path, out):
    data = open(path, "rb").read()
    pos, count, wrapped = 0, 0, bytearray()
    while pos < len(data):
        if len(data) - pos < 12:
            break
        (length,) = struct.unpack_from("<Q", data, pos)
        (length_crc,) = struct.unpack_from("<I", data, pos + 8)
        if masked(data[pos:pos + 8]) != length_crc:
            print(f"bad length checksum at byte {pos}")
            return 1
        if len(data) - pos < 16 + length:
            break
        payload = data[pos + 12:pos + 12 + length]
        (data_crc,) = struct.unpack_from("<I", data, pos + 12 + length)
        if masked(payload) != data_crc:
            print(f"bad data checksum at byte {pos}")
            return 1
        wrapped += b"\x0a" + varint(len(payload)) + payload
        count += 1
        pos += 16 + length
    open(out, "wb").write(wrapped)
    print(f"records {count}" + (f" truncated {len(data) - pos} bytes" if pos < len(data) else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
