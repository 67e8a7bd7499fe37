from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests import factories

def test_counts(client, site_tree):
    fresh = factories.UserFactory(onboarded=False)
    client.force_login(fresh)
    client.get("/registrazione/")
    with CaptureQueriesContext(connection) as c:
        client.get("/registrazione/")
    print("ONBOARDING", len(c))
    for q in c.captured_queries: print("  ", q["sql"][:150])
    m = factories.UserFactory()
    client.force_login(m)
    client.get("/profilo/")
    with CaptureQueriesContext(connection) as c:
        client.get("/profilo/")
    print("PROFILE", len(c))
    for q in c.captured_queries: print("  ", q["sql"][:150])
    with CaptureQueriesContext(connection) as c:
        client.get("/notizie/")
    print("NEWS", len(c))
    for q in c.captured_queries: print("  ", q["sql"][:150])
