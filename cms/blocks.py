"""StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Level 2")), ("h3", _("Level 3")), ("h4", _("Level 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("note", _("Note")), ("success", _("Good to know")), ("warning", _("Warning"))],
        default="note",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "blocks/callout.html"


class LinkButtonBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Internal page"), required=False)
    url = blocks.URLBlock(label=_("External URL"), required=False)

    class Meta:
        icon = "link"
        label = _("Button")
        template = "blocks/link_button.html"

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        result = super().clean(value)
        if not result.get("page") and not result.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter a URL."))}
            )
        return result


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document.html"


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
        template="blocks/paragraph.html",
    )
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    button = LinkButtonBlock()
    document = DocumentLinkBlock()
    embed = EmbedBlock(label=_("Embedded media"), template="blocks/embed.html")

    class Meta:
        label = _("Body")


class FAQQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(
        label=_("Answer"), features=["bold", "italic", "link", "document-link", "ol", "ul"]
    )

    class Meta:
        icon = "help"
        label = _("Question")


class FAQCategoryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Category"), max_length=120)
    questions = blocks.ListBlock(FAQQuestionBlock(), label=_("Questions"))

    class Meta:
        icon = "folder-open-inverse"
        label = _("Category")


class SpeakerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    role = blocks.CharBlock(label=_("Role"), required=False, max_length=200)
    organisation = blocks.CharBlock(label=_("Organisation"), required=False, max_length=200)

    class Meta:
        icon = "user"
        label = _("Speaker")


class MilestoneBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Milestone"), max_length=200)
    date = blocks.DateBlock(label=_("Date"))
    status = blocks.ChoiceBlock(
        label=_("Status"),
        choices=[("planned", _("Planned")), ("ongoing", _("Ongoing")), ("done", _("Done"))],
        default="planned",
    )
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "date"
        label = _("Milestone")
