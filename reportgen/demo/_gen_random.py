"""The fixture generator's random source."""

from __future__ import annotations

import random


class FastRandom(random.Random):
    """`random.Random` with a cheaper `randint` (uniform over [a, b] from one `random()` call) and a
    v4 UUID helper; seeded the same way, deterministic, not bit-compatible with `Random.randint`."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def uuid4(self) -> str:
        """Same text as `str(uuid.UUID(int=self.getrandbits(128), version=4))`."""
        n = self.getrandbits(128)
        n = (n & ~(0xC000 << 48)) | (0x8000 << 48)
        n = (n & ~(0xF000 << 64)) | (4 << 76)
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
