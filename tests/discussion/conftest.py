"""The discussion tests run on the proposals tests' contest (and throwaway media)."""

from tests.proposals.conftest import _media_in_tmp, contest  # noqa: F401 - fixtures, found by name
