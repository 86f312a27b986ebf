"""Makes the `tlsfault` fixture available to every test in this folder."""
from tlsfault_fixture import tlsfault  # noqa: F401  (a pytest fixture, used by name)
