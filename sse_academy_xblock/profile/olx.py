"""The ``<sse_profile>`` element: a display name and a scope, nothing inside.

```xml
<sse_profile display_name="Your Decent Work profile" scope="section"/>
```

``scope`` is ``course`` (default: every graded SSE block of the course) or ``section`` (those of the
section, i.e. chapter, that holds the profile). Attributes of the hosting platform's own fields (e.g.
``visible_to_staff_only`` in Open edX) are accepted and kept; anything else is an error naming the
element and its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..olx import OLXError, check_attributes, check_tree, parse_choice
from .scope import DEFAULT_SCOPE, SCOPES

TAG = "sse_profile"
ATTRIBUTES = ("display_name", "scope", "url_name")
DEFAULT_DISPLAY_NAME = "Your Decent Work profile"
MAX_NAME = 255


@dataclass
class ProfileSettings:
    display_name: str = DEFAULT_DISPLAY_NAME
    scope: str = DEFAULT_SCOPE
    platform_attributes: dict[str, str] = field(default_factory=dict)


def read(node, platform_fields: tuple[str, ...] = ()) -> ProfileSettings:
    if node.tag != TAG:
        raise OLXError(f"expected <{TAG}>, found <{node.tag}>", node)
    check_tree(node)
    check_attributes(node, set(ATTRIBUTES) | {"xblock-family"} | set(platform_fields))
    for child in node:
        if isinstance(child.tag, str):
            raise OLXError(f"<{TAG}> takes no elements inside; found <{child.tag}>", child)
    if (node.text or "").strip():
        raise OLXError(f"<{TAG}> takes no text inside", node)
    name = (node.get("display_name") or "").strip() or DEFAULT_DISPLAY_NAME
    if len(name) > MAX_NAME:
        raise OLXError(f"display_name has more than {MAX_NAME} characters", node)
    return ProfileSettings(
        display_name=name,
        scope=parse_choice(node, "scope", DEFAULT_SCOPE, SCOPES),
        platform_attributes={n: node.get(n) for n in platform_fields if node.get(n) is not None},
    )


def write(node, settings: ProfileSettings) -> None:
    node.tag = TAG
    node.set("display_name", settings.display_name)
    node.set("scope", settings.scope)
    for name, value in sorted(settings.platform_attributes.items()):
        node.set(name, value)
