"""Reading a response back from edx-submissions cannot fail another request's thread.

edx-submissions' ``get_submission`` turns every warning of the process into an error while it reads
(a process-wide warnings filter). The case study reads its learners' responses on every ``state``
request, so another thread that warned at that moment (the workbench runtime does, on every request)
got an exception. The test makes the other thread warn exactly while the response is being read.
"""

import threading
import warnings

from django.core.cache import cache
from django.db import connection

from factories import olx, respond

CASE = olx("case_study_factory")
TEXT = "The cooperative keeps the jobs and the members decide together."


def test_a_warning_in_another_thread_while_a_response_is_read_is_only_a_warning(make_block, call):
    case = make_block(CASE, user="amina")
    respond(call, case, TEXT)
    cache.clear()  # as in another worker process, where edx-submissions' cache does not hold the submission
    reading, warned = threading.Event(), threading.Event()
    outcome = {}

    def other_request():
        reading.wait(10)
        try:
            warnings.warn("a warning of another request", UserWarning, stacklevel=1)
            outcome["other"] = "warned"
        except Exception as error:  # noqa: BLE001 - the failure this test is about
            outcome["other"] = f"failed: {error!r}"
        warned.set()

    def while_reading(execute, sql, params, many, context):
        if "submissions_submission" in sql and sql.lstrip().upper().startswith("SELECT") and not reading.is_set():
            reading.set()
            warned.wait(10)
        return execute(sql, params, many, context)

    thread = threading.Thread(target=other_request, daemon=True)
    thread.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with connection.execute_wrapper(while_reading):
            status, reply = call(make_block.as_user(case, "amina"), "state", {})
    reading.set()
    thread.join(10)
    assert status == 200 and reply["state"]["response"]["text"] == TEXT
    assert outcome == {"other": "warned"}
