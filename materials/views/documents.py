"""A working group's workspace on the site: its documents, their versions, the comments on a
version, the comparison of two versions and the files.

Who may do what is the access policy's (``materials.permissions``), applied by the services:

- a visitor is sent to sign in (every URL alike, so nothing is disclosed);
- a signed-in member who may not see the workspace (``view_materials``) gets a 404 for
  everything in it, as for restricted pages; a version submitted to a validation round is read
  by every participant of the community (``view_material_version``), without the workspace, the
  other versions or the comments;
- an action the policy refuses renders the portal's refusal page (403); bad input shows the
  form again with the service's message next to its field (400, what was typed kept); a
  conflict with the state (a draft's text unchanged, a comment already resolved) says so (409).

Every successful POST redirects (POST-redirect-GET) with a message. The files are private
(``communities.storage``): served by ``version_file`` after asking the policy, never cached.
"""

from __future__ import annotations

import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale

from cms import access, errors, locales
from cms.cache import mark_private
from cms.refusals import render_refusal
from communities.models import WorkingGroupPage
from communities.spaces import community_for_page
from discussions import markdown

from .. import diff, forms, services, validators
from ..models import (
    AuthorCredit,
    DocumentVersion,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)
from ..permissions import Action

GET_AND_POST = ["GET", "HEAD", "POST"]


# --- helpers ------------------------------------------------------------------------------------


def _localized(page):
    """The live translation of ``page`` in the active language (for titles and links)."""
    try:
        locale = locales.get_active()
    except Locale.DoesNotExist:
        return page
    if page.locale_id == locale.pk or translation.get_language() is None:
        return page
    translated = page.get_translation_or_none(locale)
    return translated.specific if translated is not None and translated.live else page


def _group_or_404(request, group_id) -> WorkingGroupPage:
    """The working group ``group_id`` (a translation's id stands for the Italian page, which
    the documents belong to) if the user may see its workspace; 404 otherwise."""
    group = WorkingGroupPage.objects.filter(pk=group_id).select_related("locale").first()
    if group is not None and group.locale_id != locales.get_default().pk:
        group = group.get_translation_or_none(locales.get_default())
        group = group.specific if group is not None else None
    if group is None or not access.can(request.user, Action.VIEW_MATERIALS, group):
        raise Http404
    mark_private(request)
    return group


def _document_or_404(request, pk) -> WorkingDocument:
    document = (
        WorkingDocument.objects.select_related("community", "working_group", "created_by")
        .filter(pk=pk)
        .first()
    )
    if document is None or not access.can(request.user, Action.VIEW_MATERIALS, document):
        raise Http404
    mark_private(request)
    return document


def _version_or_404(request, pk) -> DocumentVersion:
    """The version ``pk`` if the user may read it (a participant reads a submitted one)."""
    version = (
        DocumentVersion.objects.select_related(
            "document__community", "document__working_group", "author"
        )
        .filter(pk=pk)
        .first()
    )
    if version is None or not access.can(request.user, Action.VIEW_MATERIAL_VERSION, version):
        raise Http404
    mark_private(request)
    return version


def _crumbs(request, community, group=None, *, document=None, last=None):
    home = community.get_parent().get_parent()
    crumbs = [{"title": _("Home"), "url": _localized(home).get_url(request)}]
    localized = _localized(community)
    crumbs.append({"title": localized.title, "url": localized.get_url(request)})
    if group is not None:
        localized = _localized(group)
        crumbs.append({"title": localized.title, "url": localized.get_url(request)})
        crumbs.append(
            {
                "title": _("Group documents"),
                "url": reverse("materials:workspace", args=[group.pk]),
            }
        )
    if document is not None:
        crumbs.append(
            {"title": document.title, "url": reverse("materials:document", args=[document.pk])}
        )
    if last is not None:
        crumbs.append({"title": last, "url": None})
    else:
        crumbs[-1]["url"] = None
    return crumbs


def _refused(request, error, community=None, *, status=None, links=None):
    return render_refusal(
        request,
        errors.message_of(error),
        status=status or errors.http_status(error),
        community=community,
        links=links,
    )


def _safe_filename(name: str, extension: str) -> str:
    """The member's file name without control characters, path separators or double quotes
    (some clients mishandle the escaped ones), never empty."""
    cleaned = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in name or ""
    )
    cleaned = cleaned.replace("/", "_").replace("\\", "_").replace('"', "'").strip(" .")[:150]
    return cleaned or f"documento.{extension or 'bin'}"


# --- the workspace ------------------------------------------------------------------------------


def workspace_documents(group):
    """The documents of ``group`` for its workspace, newest first, each with ``latest`` (its
    latest version and author), ``open_round`` and ``open_comments``: four queries whatever the
    number of documents."""
    latest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    open_threads = (
        VersionComment.objects.open()
        .filter(version__document=OuterRef("pk"))
        .order_by()
        .values("version__document")
        .annotate(n=Count("pk"))
        .values("n")
    )
    documents = list(
        WorkingDocument.objects.of_group(group)
        .select_related("created_by")
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            open_comments=Coalesce(Subquery(open_threads, output_field=IntegerField()), Value(0)),
        )
        .order_by("-updated_at", "-pk")
    )
    versions = {
        version.pk: version
        for version in DocumentVersion.objects.filter(
            pk__in=[d.latest_id for d in documents if d.latest_id]
        )
        .select_related("author")
        .defer("body")
    }
    rounds = {
        round_.document_id: round_
        for round_ in ValidationRound.objects.open().filter(document__in=documents)
    }
    for document in documents:
        document.latest = versions.get(document.latest_id)
        document.open_round = rounds.get(document.pk)
    return documents


def _workspace_context(request, group, form=None):
    community = community_for_page(group)
    user = request.user
    can_contribute = access.can(user, Action.CONTRIBUTE_MATERIAL, group)
    return {
        "page_title": _("Documents of %(group)s") % {"group": _localized(group).title},
        "group": group,
        "group_title": _localized(group).title,
        "community": community,
        "crumbs": _crumbs(request, community, group),
        "documents": workspace_documents(group),
        "can_contribute": can_contribute,
        "form": form if form is not None else forms.DocumentForm(),
        "credited": AuthorCredit.objects.filter(working_group=group, user=user).exists(),
        "accept": validators.ACCEPT,
    }


@login_required
@require_GET
def workspace(request, group_id):
    group = _group_or_404(request, group_id)
    return render(request, "materials/workspace.html", _workspace_context(request, group))


@login_required
@require_http_methods(GET_AND_POST)
def document_create(request, group_id):
    """The new-document form (also on the workspace page), and its submission."""
    group = _group_or_404(request, group_id)
    community = community_for_page(group)
    if not access.can(request.user, Action.CONTRIBUTE_MATERIAL, group):
        return _refused(request, errors.Refused(), community)
    status = 200
    if request.method == "POST":
        form = forms.DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.create_document(
                    request.user,
                    group,
                    title=data["title"],
                    kind=data["kind"],
                    summary=data["summary"],
                    file=data["file"] if data["kind"] == WorkingDocument.Kind.FILE else None,
                    body=data["body"] if data["kind"] == WorkingDocument.Kind.TEXT else "",
                    note=data["note"],
                )
            except errors.Refused as error:
                return _refused(request, error, community)
            except errors.Invalid as error:  # Conflict included
                forms.add_service_errors(form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("The document “%(title)s” was saved as version 1.")
                    % {"title": document.title},
                )
                return redirect("materials:document", pk=document.pk)
        else:
            status = 400
    else:
        form = forms.DocumentForm()
    context = {
        "page_title": _("New document"),
        "group": group,
        "group_title": _localized(group).title,
        "community": community,
        "crumbs": _crumbs(request, community, group, last=_("New document")),
        "form": form,
        "file_lost": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "materials/document_form.html", context, status=status)


@login_required
@require_POST
def author_credit(request, group_id):
    """The member's consent to be named among the authors of the group's outputs."""
    group = _group_or_404(request, group_id)
    agreed = request.POST.get("agreed") in ("1", "on", "true", "yes")
    try:
        services.set_author_credit(request.user, group, agreed)
    except errors.Refused as error:
        return _refused(request, error, community_for_page(group))
    if agreed:
        messages.success(
            request, _("You will be named among the authors of what the group publishes.")
        )
    else:
        messages.success(
            request,
            _("You will not be named: what the group publishes credits the group only."),
        )
    return redirect("materials:workspace", group_id=group.pk)


# --- a document ---------------------------------------------------------------------------------


def _document_context(request, document, version_form=None):
    user = request.user
    versions = list(document.versions.select_related("author").defer("body").order_by("-number"))
    latest = versions[0] if versions else None
    can_contribute = access.can(user, Action.CONTRIBUTE_MATERIAL, document)
    if version_form is None and can_contribute:
        initial = {}
        if document.kind == WorkingDocument.Kind.TEXT and latest is not None:
            initial["body"] = DocumentVersion.objects.filter(pk=latest.pk).values_list(
                "body", flat=True
            )[0]
        version_form = forms.VersionForm(document=document, initial=initial)
    community, group = document.community, document.working_group
    return {
        "page_title": document.title,
        "document": document,
        "community": community,
        "group": group,
        "group_title": _localized(group).title,
        "crumbs": _crumbs(request, community, group, last=document.title),
        "versions": versions,
        "latest": latest,
        "rounds": list(document.rounds.select_related("version").order_by("-opened_at", "-pk")),
        "can_contribute": can_contribute,
        "version_form": version_form,
        "compare_from": versions[1].number if len(versions) > 1 else None,
        "compare_to": latest.number if latest else None,
    }


@login_required
@require_GET
def document_detail(request, pk):
    document = _document_or_404(request, pk)
    return render(request, "materials/document.html", _document_context(request, document))


@login_required
@require_http_methods(GET_AND_POST)
def version_create(request, pk):
    """A new version (the form is on the document's page; shown again here with its errors)."""
    document = _document_or_404(request, pk)
    if not access.can(request.user, Action.CONTRIBUTE_MATERIAL, document):
        return _refused(request, errors.Refused(), document.community)
    if request.method != "POST":
        return redirect(reverse("materials:document", args=[document.pk]) + "#nuova-versione")
    form = forms.VersionForm(request.POST, request.FILES, document=document)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = services.add_version(
                request.user,
                document,
                file=data.get("file"),
                body=data.get("body", ""),
                note=data["note"],
            )
        except errors.Refused as error:
            return _refused(request, error, document.community)
        except errors.Invalid as error:  # Conflict (409: the text is unchanged) included
            forms.add_service_errors(form, error)
            status = error.status
        else:
            messages.success(
                request, _("Version %(number)s was saved.") % {"number": version.number}
            )
            return redirect("materials:version", pk=version.pk)
    context = _document_context(request, document, version_form=form)
    context["file_lost"] = bool(request.FILES)
    return render(request, "materials/document.html", context, status=status)


# --- a version and its comments -----------------------------------------------------------------


def _threads(request, version, bound_form=None, bound_parent=None):
    """The version's comment threads (one level of replies), each with its reply form and
    whether the user may resolve it: two queries whatever the number of comments."""
    user = request.user
    comments = list(
        VersionComment.objects.filter(version=version)
        .select_related("author", "resolved_by")
        .order_by("created_at", "pk")
    )
    threads, by_id = [], {}
    for comment in comments:
        comment.version = version  # the policy reads the space from it: no query per comment
        comment.replies_list = []
        if comment.parent_id is None:
            threads.append(comment)
            by_id[comment.pk] = comment
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in by_id:
            by_id[comment.parent_id].replies_list.append(comment)
    for thread in threads:
        thread.can_resolve = access.can(user, Action.RESOLVE_COMMENT, thread)
        if bound_form is not None and bound_parent == thread.pk:
            thread.reply_form = bound_form
        else:
            thread.reply_form = forms.CommentForm(reply_to=thread.pk)
    return threads


def version_context(request, version, *, comment_form=None, comment_parent=None, round_form=None):
    """The context of ``materials/version.html``; ``round_form`` is a bound ``RoundOpenForm``
    with its errors (``views.rounds.round_open`` renders the page again with it, status 400)."""
    user = request.user
    document = version.document
    full = access.can(user, Action.VIEW_MATERIALS, document)
    community, group = document.community, document.working_group
    rounds = list(
        version.rounds.exclude(status=ValidationRound.Status.CANCELLED).order_by(
            "-opened_at", "-pk"
        )
    )
    title = _("%(title)s, version %(number)s") % {"title": document.title, "number": version.number}
    context = {
        "page_title": title,
        "version": version,
        "document": document,
        "community": community,
        "full": full,
        "rounds": rounds,
        "body_html": markdown.render(version.body) if not version.is_file else "",
        "format_label": _format_label(version),
        "comparable": diff.comparable(version),
    }
    if not full:
        context["crumbs"] = _crumbs(request, community, last=title)
        return context
    can_comment = access.can(user, Action.COMMENT_MATERIAL, version)
    top_form = comment_form if comment_form is not None and comment_parent is None else None
    context.update(
        {
            "crumbs": _crumbs(request, community, group, document=document, last=version.label),
            "group": group,
            "threads": _threads(
                request,
                version,
                comment_form if comment_parent is not None else None,
                comment_parent,
            ),
            "can_comment": can_comment,
            "comment_form": top_form or forms.CommentForm(),
            "comment_error_parent": comment_parent,
            "previous": document.versions.filter(number__lt=version.number)
            .order_by("-number")
            .values_list("number", flat=True)
            .first(),
        }
    )
    if access.can(user, Action.OPEN_VALIDATION, document):
        open_round = ValidationRound.objects.open().filter(document=document).first()
        context["open_round"] = open_round
        if open_round is None:
            context["round_form"] = round_form if round_form is not None else forms.RoundOpenForm()
    return context


def _format_label(version) -> str:
    if not version.is_file:
        return _("Text written in the portal")
    for fmt in validators.FORMATS.values():
        if fmt.media_type == version.media_type:
            return fmt.label
    return version.media_type or _("unknown")


@login_required
@require_GET
def version_detail(request, pk):
    version = _version_or_404(request, pk)
    return render(request, "materials/version.html", version_context(request, version))


@login_required
@require_GET
def version_file(request, pk):
    """The file of a version, as an attachment with its original name (after the policy)."""
    version = _version_or_404(request, pk)
    if not version.file:
        raise Http404
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    extension = version.file.name.rsplit(".", 1)[-1] if "." in version.file.name else "bin"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_safe_filename(version.file_name, extension),
        content_type=version.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def comment_create(request, pk):
    version = _version_or_404(request, pk)
    document = version.document
    if not access.can(request.user, Action.COMMENT_MATERIAL, version):
        return _refused(
            request,
            errors.Refused(
                _("Only the working group's members and the community's managers comment.")
            ),
            document.community,
        )
    parent_id = request.POST.get("parent") or None
    form = forms.CommentForm(request.POST, reply_to=_int_or_none(parent_id))
    status = 400
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = VersionComment.objects.filter(
                pk=form.cleaned_data["parent"], version=version
            ).first()
        try:
            if form.cleaned_data["parent"] and parent is None:
                raise errors.Invalid({"parent": [_("The comment you replied to is not here.")]})
            comment = services.add_comment(
                request.user, version, form.cleaned_data["body"], parent=parent
            )
        except errors.Refused as error:
            return _refused(request, error, document.community)
        except errors.Invalid as error:
            if "parent" in getattr(error, "error_dict", {}):
                form.add_error(None, error.message_dict["parent"])
            else:
                forms.add_service_errors(form, error)
            status = error.status
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(reverse("materials:version", args=[version.pk]) + f"#c{comment.pk}")
    parent_pk = _int_or_none(parent_id)
    thread_ids = set(
        VersionComment.objects.filter(version=version, parent__isnull=True).values_list(
            "pk", flat=True
        )
    )
    context = version_context(
        request,
        version,
        comment_form=form,
        comment_parent=parent_pk if parent_pk in thread_ids else None,
    )
    return render(request, "materials/version.html", context, status=status)


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@login_required
@require_POST
def comment_resolve(request, pk):
    """Resolve a thread (``resolved=1``, the default) or open it again (``resolved=0``)."""
    comment = (
        VersionComment.objects.select_related(
            "version__document__community", "version__document__working_group", "parent"
        )
        .filter(pk=pk)
        .first()
    )
    if comment is None or not access.can(request.user, Action.VIEW_MATERIALS, comment):
        raise Http404
    mark_private(request)
    resolved = request.POST.get("resolved", "1") != "0"
    version = comment.version
    back = [
        {
            "url": reverse("materials:version", args=[version.pk]) + f"#c{comment.pk}",
            "label": _("Back to the version"),
        }
    ]
    try:
        thread = services.resolve_comment(request.user, comment, resolved)
    except errors.Invalid as error:  # Conflict: already resolved / already open
        return _refused(request, error, version.document.community, links=back)
    except errors.Refused as error:
        return _refused(request, error, version.document.community, links=back)
    messages.success(
        request, _("The comment was marked resolved.") if resolved else _("The comment is open.")
    )
    return redirect(reverse("materials:version", args=[version.pk]) + f"#c{thread.pk}")


# --- comparing two versions ---------------------------------------------------------------------


@login_required
@require_GET
def compare(request, pk):
    """The differences between versions ``da`` and ``a`` (numbers) of the document."""
    document = _document_or_404(request, pk)
    versions = list(document.versions.select_related("author").defer("body").order_by("-number"))
    numbers = [version.number for version in versions]
    context = {
        "page_title": _("Compare versions of %(title)s") % {"title": document.title},
        "document": document,
        "community": document.community,
        "crumbs": _crumbs(
            request,
            document.community,
            document.working_group,
            document=document,
            last=_("Compare versions"),
        ),
        "versions": versions,
        "error": None,
        "comparison": None,
    }
    raw_from, raw_to = request.GET.get("da"), request.GET.get("a")
    if raw_from is None and raw_to is None:
        if len(versions) < 2:
            context["error"] = _("This document has only one version: nothing to compare yet.")
            return render(request, "materials/compare.html", context)
        raw_from, raw_to = str(numbers[1]), str(numbers[0])
    number_from, number_to = _int_or_none(raw_from), _int_or_none(raw_to)
    context.update({"compare_from": number_from, "compare_to": number_to})
    if number_from not in numbers or number_to not in numbers:
        context["error"] = _("Choose two versions of this document to compare.")
        return render(request, "materials/compare.html", context, status=400)
    if number_from == number_to:
        context["error"] = _("Choose two different versions to compare.")
        return render(request, "materials/compare.html", context, status=400)
    by_number = {version.number: version for version in versions}
    old, new = by_number[number_from], by_number[number_to]
    context.update({"old": old, "new": new})
    problems = []
    texts = []
    for version in (old, new):
        if version.is_file and not diff.comparable(version):
            problems.append(
                _("The comparison is not available for the %(format)s format (version %(n)s).")
                % {"format": _format_label(version), "n": version.number}
            )
            continue
        try:
            texts.append(diff.paragraphs(version))
        except diff.NotComparable as error:
            problems.append(
                _("Version %(n)s: %(reason)s") % {"n": version.number, "reason": error.message}
            )
    if problems:
        context["problems"] = problems
    else:
        context["comparison"] = diff.compare(texts[0], texts[1])
    return render(request, "materials/compare.html", context)
