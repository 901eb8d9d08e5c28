"""The project's own pytest setup: symconv's plugin collects the notes' obligations.

Installed, the plugin is also registered by its entry point under the same name; this
line makes it available in a plain checkout too.
"""

pytest_plugins = ["_symconv_pytest"]
