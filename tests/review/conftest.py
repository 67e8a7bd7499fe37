from tests.communities.conftest import world  # noqa: F401
