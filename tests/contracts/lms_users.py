"""The user service of Open edX, as its runtimes give it to a block, for the noauth, masquerade and
Studio contracts.

Platform source followed (the stored versions read):

- common/djangoapps/xblock_django/user_service.py (openedx/openedx-platform at
  e57a655d77b614f19223984e9805b1fb940ab192), ``DjangoXBlockUserService._convert_django_user_to_xblock_user``:
  for an authenticated Django user the XBlockUser's opt_attrs hold the course's anonymous id, the deprecated
  (course-agnostic) one, ``edx-platform.is_authenticated`` True, the request's country code, the user id,
  username, beta-tester, global-staff and staff flags, role and the white-listed preferences; for anyone else
  (``django_user`` None or anonymous) only ``edx-platform.is_authenticated`` False and
  ``edx-platform.request_country_code``. Unset keyword arguments default to False, ``'student'`` and None.
  (The openedx/edx-platform version at 0752ded57d2f950fc93301e1ca691c594efab647 also wrote four
  ``edx-platform.user_has_*`` permission flags; the openedx-platform version above no longer does.)
  The attribute strings are those of common/djangoapps/xblock_django/constants.py: openedx/edx-platform at
  15eca3ba5983ee4a85579994938a3860cebcb2ba names six of them, at 5f6f52c846d2cbff56b529f5b565e8bfc40fd15c
  also ``request_country_code`` and ``user_role``; ``deprecated_anonymous_user_id``, ``user_is_beta_tester``
  and ``user_is_global_staff`` are in a later version the store holds without naming its commit.
- lms/djangoapps/courseware/block_render.py (openedx/edx-platform at 017f8469de4504178361547a3f409f3842c7007f),
  ``get_module_system_for_user``: ``DjangoXBlockUserService(user, user_is_staff=has_access(user, 'staff', ...),
  user_role=get_user_role(user, course_id), anonymous_user_id=anonymous_id_for_user(user, course_id),
  request_country_code=user_location)``, for whoever the request's user is. (Its successor
  ``prepare_runtime_for_user``, openedx/openedx-platform at 5af5f01fa9480258a5001852cd7498fe3e4cd2fb, also
  passes the beta-tester and global-staff flags and the deprecated anonymous id, which :func:`learner` leaves
  at their defaults.)
- cms/djangoapps/contentstore/views/preview.py (openedx/edx-platform at 017f8469de4504178361547a3f409f3842c7007f)
  (``_preview_module_system``): Studio's preview passes an anonymous id (``'student'``, or the author's own);
  an editor's save builds ``DjangoXBlockUserService(user)`` with none (``load_services_for_studio``, called
  from cms/djangoapps/contentstore/xblock_storage_handlers/view_handlers.py at
  0051e184a527e4d0f829d58b2e872f693b6a4724).
"""

from __future__ import annotations

from types import SimpleNamespace

from xblock.reference.user_service import UserService, XBlockUser


class DjangoXBlockUserService(UserService):
    """``DjangoXBlockUserService`` for one Django user: ``None`` stands for Django's AnonymousUser."""

    def __init__(self, django_user=None, *, anonymous_user_id=None, user_is_staff=False, user_role="student",
                 request_country_code=None):
        super().__init__()
        self._django_user = django_user
        self._anonymous_user_id = anonymous_user_id
        self._user_is_staff = user_is_staff
        self._user_role = user_role
        self._request_country_code = request_country_code

    def get_current_user(self):
        xblock_user = XBlockUser(is_current_user=True)
        user = self._django_user
        if user is not None:
            xblock_user.full_name = user.username
            xblock_user.emails = [f"{user.username}@example.org"]
            xblock_user.opt_attrs.update({
                "edx-platform.anonymous_user_id": self._anonymous_user_id,
                "edx-platform.deprecated_anonymous_user_id": None,
                "edx-platform.is_authenticated": True,
                "edx-platform.request_country_code": self._request_country_code,
                "edx-platform.user_id": user.id,
                "edx-platform.username": user.username,
                "edx-platform.user_is_beta_tester": False,
                "edx-platform.user_is_global_staff": False,
                "edx-platform.user_is_staff": self._user_is_staff,
                "edx-platform.user_role": self._user_role,
                "edx-platform.user_preferences": {},
            })
        else:
            xblock_user.opt_attrs["edx-platform.is_authenticated"] = False
            xblock_user.opt_attrs["edx-platform.request_country_code"] = self._request_country_code
        return xblock_user


def anonymous():
    """The user service of a request without a session: the LMS's noauth address for a visitor."""
    return DjangoXBlockUserService(None, request_country_code="FR")


def learner(name: str, staff: bool = False):
    """The user service of a signed-in learner (or course staff) in the LMS."""
    return DjangoXBlockUserService(SimpleNamespace(id=hash(name) % 10_000, username=name), anonymous_user_id=name,
                                   user_is_staff=staff, user_role="staff" if staff else "student")


def studio_editor(name: str):
    """The user service of a Studio editor's save: signed in, without a learner id in the course."""
    return DjangoXBlockUserService(SimpleNamespace(id=hash(name) % 10_000, username=name))


def bind(block, service):
    """The block as the runtime gives it to a handler for this user (the service replaced in place)."""
    block.runtime._services["user"] = service  # pylint: disable=protected-access
    return block
