"""A Django database engine (``ENGINE``): SQLite whose transactions begin IMMEDIATE (see ``base``)."""
