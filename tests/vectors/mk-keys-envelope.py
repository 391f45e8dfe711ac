#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build CCLINKEK key-envelope fixtures independently of cclink's C code.

The derivation (Argon2id -> HKDF-SHA256 "cclink-key-v1" -> X25519 scalar) is
done with python `cryptography` (>= 44, for Argon2id); the identity is written
as an AGE-SECRET-KEY-1... string (Bech32, encoder below, BIP 173); Debian's
`age` binary encrypts the seed to that identity's recipient (from
`age-keygen -y`). The envelope is then magic | 0x01 | m | t | p | salt | age
file, as cclink 1.3 writes it. See README-keys.md.

usage: mk-keys-envelope.py OUT SEED_HEX SALT_HEX M_KIB T P PASSPHRASE
"""
import os
import struct
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk


def bech32_encode(hrp, data8):
    # regroup 8-bit bytes into 5-bit groups, zero-padded
    acc, bits, data = 0, 0, []
    for b in data8:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    hrp_exp = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    poly = bech32_polymod(hrp_exp + data + [0] * 6) ^ 1
    checksum = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[d] for d in data + checksum)


def main():
    out, seed_hex, salt_hex, m, t, p, passphrase = sys.argv[1:8]
    seed, salt = bytes.fromhex(seed_hex), bytes.fromhex(salt_hex)
    m, t, p = int(m), int(t), int(p)
    assert len(seed) == 32 and len(salt) == 32
    ikm = Argon2id(salt=salt, length=32, iterations=t, lanes=p,
                   memory_cost=m).derive(passphrase.encode())
    scalar = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                  info=b"cclink-key-v1").derive(ikm)
    ident = bech32_encode("age-secret-key-", scalar).upper()
    with tempfile.TemporaryDirectory() as d:
        idf = os.path.join(d, "id.txt")
        with open(idf, "w") as f:
            f.write(ident + "\n")
        rcpt = subprocess.run(["age-keygen", "-y", idf], check=True,
                              capture_output=True, text=True).stdout.strip()
        ct = subprocess.run(["age", "-e", "-r", rcpt], input=seed, check=True,
                            capture_output=True).stdout
        # round trip through age itself before writing anything
        back = subprocess.run(["age", "-d", "-i", idf], input=ct, check=True,
                              capture_output=True).stdout
        assert back == seed
    env = b"CCLINKEK" + bytes([1]) + struct.pack(">III", m, t, p) + salt + ct
    with open(out, "wb") as f:
        f.write(env)
    print(f"{out}: {len(env)} bytes, recipient {rcpt}, scalar {scalar.hex()}")


if __name__ == "__main__":
    main()
