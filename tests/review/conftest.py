from tests.communities.conftest import _world_rows, world  # noqa: F401
