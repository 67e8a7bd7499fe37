"""Admin forms of the Accademia's pages (``base_form_class``)."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm


class CourseSessionPageForm(WagtailAdminPageForm):
    """A live session's editor offers only the editions of its course (the parent page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("edition")
        if field is None:
            return
        from .models import CourseEdition, CoursePage

        parent = self.parent_page
        if parent is None and self.instance.pk and self.instance.path:
            parent = self.instance.get_parent()
        parent = parent.specific if parent is not None else None
        if not isinstance(parent, CoursePage):
            field.queryset = CourseEdition.objects.none()
            return
        field.queryset = CourseEdition.objects.for_course(parent).order_by("starts_on", "pk")
