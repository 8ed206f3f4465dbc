"""Imports that differ between the Open edX releases we support, in one place.

``Fragment``: every XBlock release we support (5.x on Teak and Ulmo, 6.2+ on Verawood) renders
``web_fragments.fragment.Fragment``. XBlock 6.2 no longer declares web-fragments as a dependency
(the platform installs it), and its ``xblock.fragment`` is only a deprecated subclass that warns on
every use; so our package depends on web-fragments itself and imports it first. The fallback is for
an environment that ships XBlock's own module without the separate package.
"""

from __future__ import annotations

try:
    from web_fragments.fragment import Fragment
except ImportError:  # pragma: no cover - depends on the installed XBlock
    from xblock.fragment import Fragment  # type: ignore[no-redef]

__all__ = ["Fragment"]
