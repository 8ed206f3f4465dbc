"""The XBlock classes: fields, views and handlers only; the work happens in the domain modules."""
