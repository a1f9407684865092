"""What the build does beyond pyproject.toml: the Kyrgyz stemmer compiled by mypyc, beside its source.

`index/kyrgyz.py` is the stemmer, and stays plain Python. The build copies it to `index/_kyrgyz_compiled.py` with the
SHA-256 of its text appended, and mypyc compiles the copy to a C extension. `index.analysis` stems with the compiled
copy when the extension is there and was built from the source as it is now, and with the source otherwise: the same
keys, about twice as fast (tests/test_stemmer.py holds the two equal; BENCHMARKS.md, twentieth session). A
machine that cannot compile still installs, and so does a source that fails mypy's check: the source then stems
alone, and the test that the twin is in use fails.
"""

import hashlib
import sys
from pathlib import Path

from mypyc.build import mypycify
from setuptools import setup

SOURCE, TWIN = Path("index/kyrgyz.py"), Path("index/_kyrgyz_compiled.py")


def compiled_stemmer():
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    TWIN.write_text(SOURCE.read_text(encoding="utf-8") + f'\n\nSOURCE_SHA256 = "{digest}"\n', encoding="utf-8")
    try:
        extensions = mypycify(["--ignore-missing-imports", str(TWIN)], opt_level="3")
    except SystemExit:  # mypy's check failed (it printed why): the install goes on, and the source stems
        print("setup.py: the Kyrgyz stemmer's compiled twin was not built: mypy's check failed", file=sys.stderr)
        return []
    for extension in extensions:
        extension.optional = True  # no compiler: a warning, and the source stems
    return extensions


setup(ext_modules=compiled_stemmer())
