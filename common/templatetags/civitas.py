from django import template

from common.sanitize import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """{{ contest.description|markdown }}: user Markdown through the one sanitiser."""
    return render_markdown(text)
