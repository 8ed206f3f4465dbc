"""Django settings for the XBlock SDK workbench (``workbench``) and the test suite (``test``)."""
