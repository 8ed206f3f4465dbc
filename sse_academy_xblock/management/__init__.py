"""Django management commands of the app (``manage.py sse_deliver_grades``)."""
