"""voxgate: on-device wake word and personal voice activity, on integer kernels."""

from setuptools import find_packages, setup

TRAIN = [
    # CPU wheels: tensorflow-cpu on x86-64; on aarch64 plain tensorflow is CPU-only.
    "tensorflow-cpu==2.21.*; platform_machine=='x86_64'",
    "tensorflow==2.21.*; platform_machine!='x86_64'",
    "ai-edge-litert>=2.0",
    "tflite>=2.18",
    "tqdm",
    "pyroomacoustics",
    "matplotlib",
]

setup(
    name="voxgate",
    version="0.1.0",
    description=__doc__,
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    package_dir={
        "voxgate": "sdk/voxgate",
        "voxgate.models": "models",
        "voxgate_train": "training/voxgate_train",
    },
    packages=["voxgate", "voxgate.models", "voxgate_train"]
    + ["voxgate_train." + p for p in find_packages("training/voxgate_train")],
    package_data={"voxgate.models": ["*.vgm", "*.md", "*.json"]},
    setup_requires=["cffi>=1.16"],
    cffi_modules=["sdk/voxgate/_native_build.py:ffibuilder"],
    install_requires=["cffi>=1.16", "numpy>=1.24", "soundfile>=0.12", "soxr>=0.3"],
    extras_require={
        "train": TRAIN,
        "tflite": ["ai-edge-litert>=2.0"],
        "demo": ["sounddevice>=0.4"],
        "test": [
            "pytest>=7",
            "hypothesis>=6",
            "ruff>=0.5",
            "clang-format>=18",
            "ai-edge-litert>=2.0",
            "tflite>=2.18",
        ],
        "bench": ["pymicro-features>=2.0"],
    },
    entry_points={
        "console_scripts": ["voxgate=voxgate.cli:main", "voxgate-train=voxgate_train.cli:main"]
    },
    zip_safe=False,
)
