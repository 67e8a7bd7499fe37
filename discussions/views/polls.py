"""A topic's quick poll on the site: vote (or change the vote), withdraw it, add, change or
remove the poll. No JavaScript: each is a form posting here, which redirects back to the topic
with a message; a refused vote renders the topic page again with the reason and the options
the member had chosen (400 bad input, 409 closed poll). The rules are the services' (which ask
``cms.access``): 404 for whoever may not read the topic, 403 with the refusal page otherwise.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms import access

from .. import forms, services
from ..models import Poll
from ..services import polls
from .common import Action, _refused, _space_context, _topic_or_404
from .topics import _topic_for_change, render_topic


def _poll_url(topic) -> str:
    return f"{topic.get_absolute_url()}#sondaggio"


@require_POST
def poll_vote(request, pk):
    topic = _topic_or_404(request, pk)
    choice = request.POST.getlist("options")
    try:
        polls.vote(request.user, topic, choice)
    except services.NotFound as exc:
        raise Http404 from exc
    except services.NotAllowed as exc:
        return _refused(request, exc.message, topic.community)
    except services.DiscussionError as exc:
        return render_topic(
            request, topic, status=exc.status, poll_error=exc.user_message, poll_choice=choice
        )
    messages.success(request, _("Your vote has been recorded."))
    return redirect(_poll_url(topic))


@require_POST
def poll_withdraw(request, pk):
    topic = _topic_or_404(request, pk)
    try:
        polls.withdraw_vote(request.user, topic)
    except services.NotFound as exc:
        raise Http404 from exc
    except services.NotAllowed as exc:
        return _refused(request, exc.message, topic.community)
    except services.DiscussionError as exc:
        return render_topic(request, topic, status=exc.status, poll_error=exc.user_message)
    messages.success(request, _("Your vote has been withdrawn."))
    return redirect(_poll_url(topic))


@require_http_methods(["GET", "HEAD", "POST"])
def poll_edit(request, pk):
    """Add a poll to a topic, or change it while nobody voted (its author, the moderators);
    ``delete`` in the POST removes it."""
    topic = _topic_for_change(request, pk)
    if not access.can(request.user, Action.START_POLL, topic):
        return _refused(request, polls.start_poll_refusal(topic), topic.community)
    poll = Poll.objects.filter(topic=topic).first()
    status, error = 200, None
    if request.method == "POST" and "delete" in request.POST and poll is not None:
        try:
            polls.delete_poll(request.user, topic)
        except services.NotAllowed as exc:
            return _refused(request, exc.message, topic.community)
        except services.DiscussionError as exc:
            status, error = exc.status, exc.user_message
        else:
            messages.success(request, _("The poll has been removed."))
            return redirect(topic.get_absolute_url())
        form = forms.PollForm(initial=_initial(poll))
    elif request.method == "POST":
        form = forms.PollForm(request.POST)
        if form.is_valid():
            try:
                polls.set_poll(request.user, topic, form.cleaned_data["poll"])
            except services.NotAllowed as exc:
                return _refused(request, exc.message, topic.community)
            except services.DiscussionError as exc:
                status, error = exc.status, exc.user_message
            else:
                messages.success(
                    request,
                    _("The poll has been saved.") if poll else _("The poll has been added."),
                )
                return redirect(_poll_url(topic))
        else:
            status = 400
    else:
        form = forms.PollForm(initial=_initial(poll))
    voted = poll is not None and poll.votes.exists()
    context = _space_context(request, topic.space.specific)
    context["crumbs"].append({"title": topic.title, "url": topic.get_absolute_url()})
    title = _("Edit the poll") if poll else _("Add a poll")
    context["crumbs"].append({"title": title, "url": None})
    context.update(
        {
            "topic": topic,
            "poll": poll,
            "form": form,
            "error": error,
            "page_heading": title,
            "voted": voted,
            "can_delete": poll is not None
            and (not voted or access.can(request.user, Action.MODERATE, topic)),
        }
    )
    return render(request, "discussions/poll_form.html", context, status=status)


def _initial(poll) -> dict:
    if poll is None:
        return {}
    return {
        "poll_question": poll.question,
        "poll_options": "\n".join(option.label for option in poll.options.all()),
        "poll_multiple": poll.multiple,
        "poll_closes_at": poll.closes_at,
    }
