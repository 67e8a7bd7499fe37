"""The communities' pages on the site, one module per subject:

- ``member``: "La mia area", the member directory, the answers to working groups;
- ``participation``: join, leave, switch role, ask the managers, upload the appointment act;
- ``manage``: the gate of the management pages and their home; ``manage_members``: members,
  designations, measures and requests; ``manage_groups``: working groups;
- ``files``: private files served after asking the access policy (the appointment acts).

URLs: ``communities/urls.py`` (``communities`` namespace) and ``communities/member_urls.py``
(``participation`` namespace).
"""
