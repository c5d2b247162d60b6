"""cffi build script (API mode) for ``voxgate._native``.

The cdef is read from the public headers, between ``cdef-begin`` and
``cdef-end``, so every declaration and constant is written once, in C.
"""

import re
from pathlib import Path

from cffi import FFI

ROOT = Path(__file__).resolve().parents[2]
NATIVE = ROOT / "native"
PUBLIC_HEADERS = ["voxgate/format.h", "voxgate/voxgate.h"]


def _internal_headers() -> list[str]:
    """Internal headers that mark a cdef block (kernels, graph), so the
    tests can reach them from Python; paths relative to native/src."""
    src = NATIVE / "src"
    found = sorted(
        str(p.relative_to(src)) for p in src.rglob("*.h") if "cdef-begin" in p.read_text()
    )
    # Shared types first: the kernels' declarations use them.
    shared = ["kernels/quant_params.h"]
    return [h for h in shared if h in found] + [h for h in found if h not in shared]


HEADERS = PUBLIC_HEADERS + _internal_headers()


def _header_path(name: str) -> Path:
    public = NATIVE / "include" / name
    return public if public.exists() else NATIVE / "src" / name


_DEFINE = re.compile(r"^#define\s+(\w+)\s+(.+?)\s*$")


def _cdef_of(header: Path) -> str:
    text = header.read_text()
    start = text.index("cdef-begin")
    start = text.index("\n", start) + 1
    body = text[start : text.index("/* cdef-end")].replace("\\\n", " ")
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)  # comments may hold quotes
    out = []
    for line in body.splitlines():
        m = _DEFINE.match(line)
        if m:
            name, value = m.groups()
            # Strings become constants, numbers keep their C value via "...".
            if value.startswith('"'):
                out.append(f"static const char *const {name};")
            else:
                out.append(f"#define {name} ...")
        elif not line.startswith("#"):
            out.append(line)
    return "\n".join(out)


def native_sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (NATIVE / "src").rglob("*.c"))


ffibuilder = FFI()
ffibuilder.cdef("\n".join(_cdef_of(_header_path(h)) for h in HEADERS))
ffibuilder.set_source(
    "voxgate._native",
    "\n".join(f'#include "{h}"' for h in HEADERS),
    sources=native_sources(),
    include_dirs=[str(NATIVE / "include"), str(NATIVE / "src")],
    # fp-contract off: no fused multiply-add, so the few double computations
    # (window, filterbank tables) round the same on x86-64 and AArch64.
    extra_compile_args=["-std=c99", "-O2", "-ffp-contract=off"],
    libraries=["m"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
