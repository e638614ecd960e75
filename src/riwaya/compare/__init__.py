"""Across documents: similarity, story grouping, stance and findings."""

import sys as _sys
import types as _types

from riwaya.compare.compare import compare_analyses as compare_analyses


# ``riwaya.compare`` is both this package and the API function ``riwaya.compare(...)``: once the
# package is imported it becomes the ``riwaya`` attribute, so it is made callable and forwards to
# :func:`riwaya.api.compare`.
class _CallablePackage(_types.ModuleType):
    def __call__(self, *args, **kwargs):
        from riwaya.api import compare

        return compare(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallablePackage
